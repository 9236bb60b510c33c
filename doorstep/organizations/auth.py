"""API authentication: a personal token as ``Authorization: Bearer <token>``, or the browser session
(with CSRF) for the interactive docs."""

from ninja.errors import AuthenticationError
from ninja.security import APIKeyCookie, HttpBearer

from . import services


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            user = services.user_for_token(token)
        except services.TokenRejected as rejected:
            raise AuthenticationError(message=str(rejected)) from None
        request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The logged-in browser session; CSRF is checked for unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_active:
            return user
        return None
