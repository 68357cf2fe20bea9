"""Cookie names and flags shared by the shop's views."""

CART_COOKIE = "cart_id"
COOKIE_FLAGS = {"secure": True, "httponly": True, "samesite": "Lax"}
THEME_IS_SECRET = False
