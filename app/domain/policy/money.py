"""Money and ratios without floats: integer fen, exact fractions, two stated rounding rules.

Rule files write money in 元 under keys ending in `yuan`, as a TOML integer (`300`) or
a decimal string with at most two decimals (`"300.50"`); a TOML float is refused so
that no amount ever passes through binary floating point. Ratios are decimal strings
or integers (a TOML float is read by the loader as `Decimal`, never as `float`).

Rounding, the only two places a fraction of a fen can arise:

* A price cap is rounded DOWN to the fen (`fen_floor`): a cap is a maximum, and
  rounding it up could allow a charge the rule does not allow.
* A share of a fee that is waived (for example 50 % of 125.25 元) is rounded
  HALF UP to the fen (`fen_half_up`), the usual rule for amounts of money.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from fractions import Fraction

_YUAN = re.compile(r"^\d{1,12}(\.\d{1,2})?$")
_RATIO = re.compile(r"^\d{1,6}(\.\d{1,6})?$")


def fen_from_yuan(value: object) -> int:
    """Integer fen from 元 written as an int or a decimal string (at most two decimals)."""
    if isinstance(value, bool):
        raise ValueError("money must be 元 as an integer or a decimal string, not a boolean")
    if isinstance(value, int):
        if value < 0:
            raise ValueError("money must not be negative")
        return value * 100
    if isinstance(value, str):
        text = value.strip().replace(",", "")
        if not _YUAN.match(text):
            raise ValueError(f'money must look like 300 or "300.50" (元), got {value!r}')
        return int(Decimal(text) * 100)
    raise ValueError(
        'money must be 元 as an integer (300) or a decimal string ("300.50"), '
        f"not {value}: a TOML float is refused for money"
    )


def ratio_from(value: object) -> Decimal:
    """An exact non-negative ratio from a decimal string, an int or a Decimal (never float)."""
    if isinstance(value, bool | float):
        raise ValueError('a ratio must be a decimal string such as "0.8", not a float')
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, Decimal):
        if not value.is_finite() or value < 0:
            raise ValueError(f"a ratio must be finite and non-negative, got {value}")
        return value
    if isinstance(value, str) and _RATIO.match(value.strip()):
        try:
            return Decimal(value.strip())
        except InvalidOperation:  # pragma: no cover - the pattern admits only digits
            pass
    raise ValueError(f'a ratio must be a decimal string such as "0.8", got {value!r}')


def fen_floor(amount: Fraction) -> int:
    """Round an exact amount of fen down to a whole fen (used for caps)."""
    return math.floor(amount)


def fen_half_up(amount: Fraction) -> int:
    """Round an exact non-negative amount of fen to the nearest fen, halves up."""
    return math.floor(amount + Fraction(1, 2))


def yuan_text(fen: int) -> str:
    """元 with two decimals and thousands separators, for formulas: 1,234.50."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def exact_yuan_text(amount: Fraction) -> str:
    """An exact amount of fen in 元; a repeating value is shown to 4 places with ≈."""
    if amount.denominator == 1:
        return yuan_text(amount.numerator)
    yuan = Decimal(amount.numerator) / Decimal(amount.denominator) / 100
    return f"≈{yuan.quantize(Decimal('0.0001')):,}"


def spoken_yuan(fen: int) -> str:
    """元 as said aloud: 300元, 1234.5元, 20万元 (whole 万 above ten thousand)."""
    whole, cents = divmod(fen, 100)
    if cents == 0 and whole >= 10_000 and whole % 10_000 == 0:
        return f"{whole // 10_000}万元"
    if cents == 0:
        return f"{whole}元"
    return f"{(Decimal(fen) / 100).normalize():f}元"


def ratio_text(ratio: Decimal) -> str:
    """A ratio as written in the documents: 1.5, 0.8."""
    return f"{ratio.normalize():f}"


def percent_text(ratio: Decimal) -> str:
    """A ratio as a percentage for reading aloud: 0.8 → 80%."""
    return f"{(ratio * 100).normalize():f}%"
