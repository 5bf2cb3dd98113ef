"""WeChat mini-program login (code2Session) answers and what they mean for our callers.

code2Session: GET {api}/sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
answers {openid, session_key, unionid?} or {errcode, errmsg}. Error codes from WeChat's
documentation (小程序登录 auth.code2Session).
"""

from __future__ import annotations

from typing import Any

from app.errors import BadRequest, Conflict, Forbidden, ServiceError, TooManyRequests, Unavailable

INVALID_CODE = 40029
CODE_USED = 40163
RISKY_USER = 40226
FREQUENCY_LIMIT = 45011
SYSTEM_BUSY = -1


def error_for(errcode: int) -> ServiceError:
    """Our error for a WeChat error code (never echoing WeChat's message verbatim)."""
    if errcode == INVALID_CODE:
        return BadRequest("code", "WeChat does not recognise this login code; call wx.login again")
    if errcode == CODE_USED:
        return Conflict("this login code has already been used; call wx.login again")
    if errcode == RISKY_USER:
        return Forbidden("WeChat has blocked sign-in for this account")
    if errcode == FREQUENCY_LIMIT:
        return TooManyRequests("WeChat limits sign-ins right now", retry_after_s=60)
    return Unavailable("WeChat sign-in is unavailable right now; try again shortly")


def openid_of(answer: Any) -> str:
    """The openid of a successful answer; raises our error for a failed one.

    session_key is deliberately never read: the service does not need it.
    """
    if not isinstance(answer, dict):
        raise Unavailable("WeChat sign-in answered unexpectedly; try again shortly")
    errcode = answer.get("errcode", 0)
    if errcode not in (0, None):
        raise error_for(int(errcode) if isinstance(errcode, int) else SYSTEM_BUSY)
    openid = answer.get("openid")
    if not isinstance(openid, str) or not 1 <= len(openid) <= 128:
        raise Unavailable("WeChat sign-in answered without an openid; try again shortly")
    return openid
