// "Use draft": copy the grounded draft into the reply box and remember its macro.
document.addEventListener("click", (event) => {
  if (!(event.target instanceof Element) || event.target.id !== "use-draft") return;
  const draft = document.getElementById("draft-text");
  const body = document.getElementById("reply-body");
  const macro = document.getElementById("draft-macro");
  if (!draft || !body) return;
  body.value = draft.value;
  if (macro) macro.value = draft.dataset.macro || "";
  body.focus();
});
