import hmac
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseForbidden, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from apps.maxbot import bot
from apps.maxbot.models import MaxLink
from apps.maxbot.services import issue_link_code, process, unlink
from apps.orgs.access import login_view, public_view

log = logging.getLogger(__name__)


def _context(request, **extra) -> dict:
    return {
        "link": MaxLink.objects.filter(user=request.user).first(),
        "configured": bot.configured(),
        "stub": bot.is_stub(),
        "stub_page": settings.MAX_API_URL.rstrip("/") + "/_stub/",
        "bot_name": settings.MAX_BOT_NAME,
        "bot_url": settings.MAX_BOT_URL,
        "minutes": settings.MAX_LINK_CODE_MINUTES,
        **extra,
    }


@login_view
def link(request):
    """The profile page «Уведомления в MAX»: status, a one-time code to send to the bot."""
    if request.method == "POST":
        if not bot.configured():
            messages.error(request, "MAX не настроен администратором системы — код не выдан.")
            return redirect("maxbot:link")
        code, expires = issue_link_code(user=request.user)
        # Shown once, in this answer; only its hash is stored.
        return render(request, "maxbot/link.html", _context(request, code=code, expires=expires))
    return render(request, "maxbot/link.html", _context(request))


@login_view
def unlink_view(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if unlink(user=request.user):
        messages.success(request, "MAX отключён: уведомления туда больше не приходят.")
    return redirect("maxbot:link")


@public_view
@csrf_exempt  # MAX posts here; the shared secret in X-Max-Bot-Api-Secret is the check
def webhook(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    expected = settings.MAX_WEBHOOK_SECRET.encode("utf-8")
    given = request.headers.get("X-Max-Bot-Api-Secret", "").encode("utf-8")
    if not expected or not hmac.compare_digest(given, expected):
        log.warning("MAX webhook refused: wrong or missing secret (from %s)",
                    request.META.get("REMOTE_ADDR", "?"))  # fmt: skip
        return HttpResponseForbidden("wrong secret")
    try:
        update = json.loads(request.body)
    except ValueError:
        return JsonResponse({"ok": False, "error": "invalid JSON"}, status=400)
    if not isinstance(update, dict):
        return JsonResponse({"ok": False, "error": "an Update object expected"}, status=400)
    process(update)
    return JsonResponse({"ok": True})
