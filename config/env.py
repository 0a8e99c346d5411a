"""Settings read from the environment. Every variable is prefixed TUOPIN_."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(f"TUOPIN_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(f"TUOPIN_{name}")
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(f"TUOPIN_{name}")
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(f"TUOPIN_{name}")
    if value is None or not value.strip():
        return default
    try:
        return int(value.strip())
    except ValueError:
        raise SystemExit(f"TUOPIN_{name} 应为整数（当前为 {value!r}）") from None
