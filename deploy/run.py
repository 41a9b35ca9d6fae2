"""``make run``: nats-server with JetStream and the three services on this machine.

Data stays under ./var between runs (SQLite files, the JetStream store, the
SMS sink, development keys); Ctrl-C or SIGTERM stops everything cleanly.
Set BRUG_NATS_URL to use a NATS server that is already running instead of
the embedded one.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from scheduler.accounts.tokens import generate_signing_key
from shared.natsauth import SERVICES as BUS_USERS
from shared.natsauth import BusAuth, new_seed
from shared.natsserver import NatsServer
from shared.sealing import generate_keypair
from shared.tls import client_context

SERVICES = {"scheduler": 8001, "notifier": 8002, "feedback": 8003}

#: the coordinator the scheduler makes on its first start; its password is made with the keys.
DEV_ADMIN_EMAIL = "admin@example.org"


def _fresh_secrets() -> dict[str, str]:
    private, public = generate_keypair()
    return {
        "BRUG_NOTIFIER_PRIVATE_KEY": private,
        "BRUG_NOTIFIER_PUBLIC_KEY": public,
        "BRUG_FEEDBACK_TOKEN_SECRET": secrets.token_hex(32),
        "BRUG_OPTOUT_HASH_KEY": secrets.token_hex(32),
        "BRUG_INVITE_TOKEN_SECRET": secrets.token_hex(32),
        "BRUG_SERVICE_SECRET": secrets.token_hex(32),
        "BRUG_AUDIT_HASH_KEY": secrets.token_hex(32),
        "BRUG_SCHEDULER_SIGNING_KEY": generate_signing_key(),
        "BRUG_BOOTSTRAP_ADMIN_EMAIL": DEV_ADMIN_EMAIL,
        "BRUG_BOOTSTRAP_ADMIN_PASSWORD": secrets.token_urlsafe(12),
        **{seed_variable(name): new_seed() for name in BUS_USERS},
    }


def seed_variable(service: str) -> str:
    """Where ``service``'s NATS seed is kept (var/dev-secrets.json, or the environment)."""
    return f"BRUG_NATS_NKEY_SEED_{service.upper()}"


def bus_auth(env: dict[str, str]) -> BusAuth:
    """The embedded nats-server's users: one per service, with the development seeds."""
    return BusAuth({name: env[seed_variable(name)] for name in BUS_USERS})


def own_env(env: dict[str, str], service: str) -> dict[str, str]:
    """``env`` for one service process: its own NATS seed, none of the others'."""
    seeds = {seed_variable(name) for name in BUS_USERS}
    return {**{k: v for k, v in env.items() if k not in seeds}, "BRUG_NATS_NKEY_SEED": env[seed_variable(service)]}


def dev_secrets(var: Path) -> dict[str, str]:
    """Development keys, made once and kept in var/dev-secrets.json (never used in production).

    A var/ kept from an older version gets the secrets added since, and keeps
    the ones it has (the data depends on them).
    """
    path = var / "dev-secrets.json"
    values: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    fresh = _fresh_secrets()
    if "BRUG_NOTIFIER_PRIVATE_KEY" not in values:  # a key pair is taken whole
        values.pop("BRUG_NOTIFIER_PUBLIC_KEY", None)
    missing = {name: value for name, value in fresh.items() if name not in values}
    if missing:
        path.write_text(json.dumps({**values, **missing}, indent=2))
        path.chmod(0o600)
    return {**values, **missing}


def sign_in_hint(env: dict[str, str]) -> str:
    """How to sign in to the scheduler; the password is shown only when make run made it."""
    password = env.get("BRUG_BOOTSTRAP_ADMIN_PASSWORD", "")
    if "BRUG_BOOTSTRAP_ADMIN_PASSWORD" in os.environ:
        password = "<your BRUG_BOOTSTRAP_ADMIN_PASSWORD>"
    email = env.get("BRUG_BOOTSTRAP_ADMIN_EMAIL", "")
    return f"  sign in    {email} / {password}   (coordinator made on the first start; var/dev-secrets.json)"


def service_env(var: Path, nats_url: str) -> dict[str, str]:
    env = {**dev_secrets(var), **os.environ, "BRUG_NATS_URL": nats_url}
    env.setdefault("BRUG_SMS_FILE_PATH", str(var / "outbox" / "sms.jsonl"))
    for name in SERVICES:
        env.setdefault(f"BRUG_{name.upper()}_DATABASE_URL", f"sqlite:///{var / (name + '.db')}")
    host, scheduler_port = env.get("BRUG_HOST", "127.0.0.1"), env.get("BRUG_SCHEDULER_PORT", SERVICES["scheduler"])
    env.setdefault("BRUG_SCHEDULER_JWKS_URL", f"http://{host}:{scheduler_port}/.well-known/jwks.json")
    # each service's address as people's browsers reach it: links between the staff pages use them
    for name in SERVICES:
        env.setdefault(
            f"BRUG_{name.upper()}_PUBLIC_URL", f"http://{host}:{env.get(f'BRUG_{name.upper()}_PORT', SERVICES[name])}"
        )
    return env


def wait_ready(urls: dict[str, str], processes: dict[str, subprocess.Popen[bytes]], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    waiting = dict(urls)
    while waiting and time.monotonic() < deadline:
        for name, url in list(waiting.items()):
            if processes[name].poll() is not None:
                raise SystemExit(f"{name} exited with {processes[name].returncode}; see var/log/{name}.log")
            try:
                if httpx.get(f"{url}/readyz", timeout=1, verify=client_context()).status_code == 200:
                    print(f"  {name:<10} ready   {url}   (docs: {url}/docs)", flush=True)
                    del waiting[name]
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    if waiting:
        raise SystemExit(f"not ready after {timeout:.0f} s: {', '.join(waiting)}; see var/log/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var", type=Path, default=Path("var"), help="where data and logs live (default ./var)")
    parser.add_argument("--nats-port", type=int, default=14222, help="port of the embedded nats-server")
    args = parser.parse_args()
    var: Path = args.var.resolve()
    (var / "log").mkdir(parents=True, exist_ok=True)

    nats: NatsServer | None = None
    nats_url = os.environ.get("BRUG_NATS_URL")
    env = service_env(var, nats_url or "nats://127.0.0.1:0")
    if nats_url:
        print(f"Using the NATS server at {nats_url} (each service's seed: BRUG_NATS_NKEY_SEED_<SERVICE>)", flush=True)
    else:
        log_file = var / "log" / "nats.log"
        nats = NatsServer(var / "nats", port=args.nats_port, log_file=log_file, auth=bus_auth(env)).start()
        env["BRUG_NATS_URL"] = nats_url = nats.url
        print(f"  nats       ready   {nats_url}   (JetStream store: {var / 'nats'}; a user per service)", flush=True)

    processes: dict[str, subprocess.Popen[bytes]] = {}
    urls: dict[str, str] = {}
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for name, default_port in SERVICES.items():
            port = int(env.get(f"BRUG_{name.upper()}_PORT", default_port))
            with (var / "log" / f"{name}.log").open("ab") as log:
                processes[name] = subprocess.Popen(
                    [sys.executable, "-m", name], env=own_env(env, name), stdout=log, stderr=log, start_new_session=True
                )
            urls[name] = f"http://{env.get('BRUG_HOST', '127.0.0.1')}:{port}"
        wait_ready(urls, processes, timeout=60)
        print(sign_in_hint(env), flush=True)
        print(
            f"Brug is running. Logs in {var / 'log'}; SMS sink {var / 'outbox' / 'sms.jsonl'}. Ctrl-C stops.",
            flush=True,
        )
        while not stopping:
            for name, process in processes.items():
                if process.poll() is not None:
                    print(
                        f"{name} stopped unexpectedly ({process.returncode}); see {var / 'log' / name}.log", flush=True
                    )
                    return 1
            time.sleep(0.3)
        return 0
    finally:
        print("Stopping ...", flush=True)
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
        if nats is not None:
            nats.stop()
        print("Stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())
