"""Headers Django's SecurityMiddleware does not set: CSP and Permissions-Policy.

No inline script is allowed on portal pages. The Wagtail admin keeps its own policy (it still
needs inline styles and scripts of its own), so it gets a looser one.
"""

PORTAL_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
ADMIN_CSP = "frame-ancestors 'self'; object-src 'none'; base-uri 'self'"
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_admin = request.path.startswith("/admin/")
        response.setdefault("Content-Security-Policy", ADMIN_CSP if is_admin else PORTAL_CSP)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
