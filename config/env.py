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


def local_trial_key(var_dir: Path) -> str:
    """The secret key of a local trial (``tuopin serve --demo``): generated once, kept in var/secret_key."""
    import secrets

    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key, encoding="ascii")
    path.chmod(0o600)
    return key


MISSING_KEY_MESSAGE = (
    "未设置 TUOPIN_SECRET_KEY，服务未启动。生产环境请设置一个足够长的随机密钥（如 "
    'python -c "import secrets; print(secrets.token_urlsafe(50))"），见 docs/deployment.md；'
    "本机试用请运行 tuopin serve --demo（密钥自动生成并保存在 var/secret_key），开发调试可设置 TUOPIN_DEBUG=1。"
)


def require_secret_key() -> None:
    """Stop a server start without a secret key (called by ``tuopin serve`` and the WSGI application)."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        present = bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        present = False
    if not present:
        raise SystemExit(MISSING_KEY_MESSAGE)
