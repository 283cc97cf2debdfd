"""Sign-in, sign-out and password reset for the console, with our templates.

Login is throttled per username + client IP (accounts/throttle.py). Password reset mail goes
through Django's mail (the MAILERS setting), and its pages never reveal whether an address exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from signaldesk.accounts.throttle import (
    login_failure_record,
    login_failures_clear,
    login_is_locked,
)
from signaldesk.console.access import public_view
from signaldesk.core.errors import RateLimited
from signaldesk.core.ratelimit import rate_limit_check

LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this username. Wait 15 minutes and try again, "
    "or reset your password."
)


def client_ip(request: HttpRequest) -> str:
    """The peer address. Behind a proxy, configure it to set REMOTE_ADDR (we do not trust
    X-Forwarded-For, which a client can forge to dodge the throttle)."""
    return str(request.META.get("REMOTE_ADDR", ""))


@method_decorator([sensitive_post_parameters(), csrf_protect, never_cache], name="dispatch")
class ThrottledLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", ""))
        if login_is_locked(username=username, ip=client_ip(request)):
            form = self.get_form()
            form.errors.clear()
            context = self.get_context_data(form=form, locked_message=LOCKED_MESSAGE)
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        username = str(self.request.POST.get("username", ""))
        login_failure_record(username=username, ip=client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        login_failures_clear(username=form.get_user().get_username(), ip=client_ip(self.request))
        return super().form_valid(form)


login_view = public_view(ThrottledLoginView.as_view())
logout_view = public_view(auth_views.LogoutView.as_view())


class RateLimitedPasswordResetView(auth_views.PasswordResetView):
    """Reset mails are limited per client address (scope "password_reset"), so the public form
    cannot be used to flood an inbox or the outgoing mail server."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            rate_limit_check(scope="password_reset", key=client_ip(request), now=timezone.now())
        except RateLimited as exc:
            response = HttpResponse(
                "Too many password reset requests from this address. "
                f"Try again in {exc.retry_after} seconds.",
                status=429,
                content_type="text/plain; charset=utf-8",
            )
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().post(request, *args, **kwargs)


password_reset_view = public_view(
    RateLimitedPasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("password_reset_done"),
    )
)
password_reset_done_view = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm_view = public_view(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        success_url=reverse_lazy("password_reset_complete"),
    )
)
password_reset_complete_view = public_view(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/password_reset_complete.html"
    )
)
