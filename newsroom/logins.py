"""Brute-force protection for staff logins (django-axes): whose address a request comes from,
and what a locked-out login gets instead of the login page."""

import ipaddress

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def client_address(request: HttpRequest) -> str | None:
    """The client's address: from X-Forwarded-For behind trusted proxies, else the connection.

    Each trusted proxy appends the address it was connected from, so with N proxies the
    client's is the N-th entry from the right; entries further left came from the client and
    could be forged.
    """
    connected_from = request.META.get("REMOTE_ADDR") or None
    proxies = settings.NEWSROOM_TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if proxies <= 0 or not forwarded:
        return connected_from
    # Fewer entries than proxies: the request skipped the outer ones, and the left-most entry
    # is the address the first proxy it reached was connected from.
    candidate = forwarded[-min(proxies, len(forwarded))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return connected_from  # a proxy that writes no plain address is misconfigured


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The admin login's answer (429) while a username is locked out from this address."""
    cool_off = settings.AXES_COOLOFF_TIME
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed logins",
        "username": get_client_username(request, credentials) or "",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": round(cool_off.total_seconds() / 60),
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(round(cool_off.total_seconds()))
    return response
