// SignalDesk console keyboard shortcuts. Plain JS, no dependencies.
// j/k: move the selection through a queue or search list,
// Enter/o: open, r: reply, n: note, e: resolve, u: back to queue, /: search, ?: help.
(function () {
  "use strict";

  function typing(target) {
    if (!target) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll("tr[data-queue-row]"));
  }

  function selectRow(list, index) {
    list.forEach(function (row) { row.classList.remove("selected"); });
    var row = list[index];
    if (!row) return;
    row.classList.add("selected");
    var link = row.querySelector("a");
    if (link) link.focus();
  }

  function currentIndex(list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].classList.contains("selected")) return i;
    }
    return -1;
  }

  function focusField(id) {
    var el = document.getElementById(id);
    if (!el) return false;
    el.scrollIntoView({ block: "center" });
    el.focus();
    return true;
  }

  function toggleHelp() {
    var dialog = document.getElementById("shortcut-help");
    if (!dialog) return;
    if (dialog.open) { dialog.close(); } else { dialog.showModal(); }
  }

  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-shortcut-help]")) toggleHelp();
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && typing(event.target)) { event.target.blur(); return; }
    if (typing(event.target)) return;
    var list = rows();
    var ticketPage = document.querySelector("[data-ticket]");
    var handled = true;
    switch (event.key) {
      case "j":
      case "k":
        if (list.length) {
          var i = currentIndex(list);
          var next = event.key === "j" ? Math.min(i + 1, list.length - 1) : Math.max(i - 1, 0);
          selectRow(list, next);
        } else { handled = false; }
        break;
      case "o":
      case "Enter":
        var selected = list[currentIndex(list)];
        if (selected && selected.querySelector("a")) {
          window.location.href = selected.querySelector("a").href;
        } else { handled = false; }
        break;
      case "r": handled = focusField("reply-body"); break;
      case "n": handled = focusField("note-body"); break;
      case "e":
        var resolve = document.getElementById("resolve-button");
        if (resolve) { resolve.click(); } else { handled = false; }
        break;
      case "u":
        if (ticketPage) { window.location.href = ticketPage.dataset.queueUrl; } else { handled = false; }
        break;
      case "/": handled = focusField("global-search"); break;
      case "?": toggleHelp(); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  });
})();
