"""docker-compose.yml's services as plain processes on loopback (issue 12).

Machines without a container engine (the CI machine has only the docker client)
cannot run `docker compose up`, so `ComposeUp` reads the compose file and starts,
in `depends_on` order, what each service runs there, with the environment compose
gives it (the file's values interpolated from `shell`, as compose does from the
environment it runs in):

- `build: .` (migrate, web, worker): the Dockerfile's image as a folder: its COPY
  lines copied there, its `manage.py` RUN step (collectstatic) run there, its ENV
  under the service's environment, its CMD and HEALTHCHECK where the service sets
  none. Python and the dependencies are the test run's own, standing in for the
  image's `pip install .`; there is no `riposte` user.
- `postgres:*`: a private cluster (stack.PrivatePostgres) in which POSTGRES_USER, a
  superuser as the image makes it, owns POSTGRES_DB.
- `redis:*`: the service's own command (stack.PrivateRedis).
- `nginx:*`: the template the service mounts, filled in as the image's entrypoint
  does (envsubst of the defined variables that match NGINX_ENVSUBST_FILTER), served
  by Debian's nginx (servers.nginx_run).
- Named volumes are folders. A path under a mount target, in a command or an
  environment value, becomes that path in the volume's folder; the image's WORKDIR
  becomes the image folder; any other absolute path in an environment value becomes
  a folder of the service's own. A service's address (`db:5432`, `redis:6379`,
  `web:8000`) becomes 127.0.0.1 and a free port, and so does a published port.
- `service_completed_successfully` waits for exit 0, `service_healthy` for the
  service's own health check command to pass; `up()` ends as `docker compose up
  --wait` does, with every long-running service healthy.

What this cannot show: that the image builds (python:3.12-slim, the wheels), the
unprivileged user, container networking and name resolution, the nginx image's own
nginx.conf. tests/production/test_containers.py checks those parts statically.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from psycopg import sql

from tests.production import servers, stack

BASE_DIR = servers.BASE_DIR
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
DOCKERFILE = BASE_DIR / "Dockerfile"
# Where the official images' servers listen inside their containers.
IMAGE_PORTS = {"postgres": 5432, "redis": 6379}
HEALTH_SECONDS = 90  # a busy 2-core machine starts gunicorn's workers slowly


# ─── Reading the files ───────────────────────────────────────────────────────

_VARIABLE = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def interpolate(value, shell: dict[str, str]):
    """Compose's interpolation of every string in `value`: `${NAME}`, `$NAME`,
    `${NAME:-default}`, `${NAME-default}`, `${NAME:?error}`, `${NAME?error}`, `$$`."""
    if isinstance(value, dict):
        return {key: interpolate(item, shell) for key, item in value.items()}
    if isinstance(value, list):
        return [interpolate(item, shell) for item in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        operator, argument = match.group("op"), match.group("arg")
        current = shell.get(name)
        missing = current is None or (current == "" and bool(operator) and operator[0] == ":")
        if missing and operator and operator.endswith("-"):
            return argument
        if missing and operator and operator.endswith("?"):
            raise ValueError(f"compose needs {name}: {argument}")
        return current or ""

    return _VARIABLE.sub(one, value)


def load(shell: dict[str, str]) -> dict:
    """docker-compose.yml as compose reads it, interpolated from `shell`."""
    return interpolate(yaml.safe_load(COMPOSE_FILE.read_text()), shell)


def dockerfile_instructions(name: str) -> list[str]:
    """The arguments of every `name` instruction of the Dockerfile, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text())
    return [
        line.split(None, 1)[1]
        for line in text.splitlines()
        if line.strip() and line.split(None, 1)[0] == name
    ]


def environment(service: dict, shell: dict[str, str]) -> dict[str, str]:
    """A service's `environment`; a name without a value is taken from `shell`, or left out."""
    values = service.get("environment") or {}
    if isinstance(values, list):
        values = dict(item.split("=", 1) if "=" in item else (item, None) for item in values)
    result = {}
    for name, value in values.items():
        if value is None:
            if name in shell:
                result[name] = shell[name]
        else:
            result[name] = str(value).lower() if isinstance(value, bool) else str(value)
    return result


# ─── The image, as a folder ──────────────────────────────────────────────────


def base_environment(home: Path) -> dict[str, str]:
    """What every process starts with here: the test run's Python first on PATH."""
    return {
        "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
    }


@dataclass
class Image:
    folder: Path
    workdir: str
    env: dict[str, str]
    command: list[str]
    healthcheck: list[str]


def build_image(folder: Path) -> Image:
    """The Dockerfile's result as a folder: COPY, the `manage.py` RUN steps, ENV, CMD."""
    folder.mkdir(parents=True)
    for arguments in dockerfile_instructions("COPY"):
        *sources, destination = arguments.split()
        for source in sources:
            target = folder / destination
            if (BASE_DIR / source).is_dir():
                shutil.copytree(
                    BASE_DIR / source, target, ignore=shutil.ignore_patterns("__pycache__")
                )
            else:
                shutil.copy(BASE_DIR / source, target)
    image_env: dict[str, str] = {}
    for arguments in dockerfile_instructions("ENV"):
        image_env.update(item.split("=", 1) for item in shlex.split(arguments))
    for step in dockerfile_instructions("RUN"):
        if "manage.py" not in step:
            continue  # `pip install .` is this run's own venv; no user is made here
        result = subprocess.run(
            ["sh", "-c", step],
            cwd=folder,
            env={**base_environment(folder), **image_env},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"RUN {step} failed:\n{result.stderr[-3000:]}")
    healthcheck = dockerfile_instructions("HEALTHCHECK")
    return Image(
        folder=folder,
        workdir=dockerfile_instructions("WORKDIR")[-1],
        env=image_env,
        command=json.loads(dockerfile_instructions("CMD")[-1]),
        healthcheck=json.loads(healthcheck[-1].split(" CMD ", 1)[1]) if healthcheck else [],
    )


# ─── Rewriting container paths and addresses ─────────────────────────────────


def host_paths(text: str, table: dict[str, Path]) -> str:
    """Each container path of `table` (the longest first) at the start of a path in
    `text` replaced by its host folder."""
    if not table:
        return text
    prefixes = "|".join(re.escape(path) for path in sorted(table, key=len, reverse=True))
    pattern = re.compile(rf"(?<![\w./-])({prefixes})(?=/|\s|$)")
    return pattern.sub(lambda match: str(table[match.group(1)]), text)


def host_addresses(text: str, ports: dict[tuple[str, int], int]) -> str:
    """`service:port` (a URL's host, an upstream) replaced by 127.0.0.1 and its host port."""
    for (name, port), host_port in ports.items():
        text = re.sub(rf"(?<![\w.-]){re.escape(name)}:{port}(?!\d)", f"127.0.0.1:{host_port}", text)
    return text


# ─── Up and down ─────────────────────────────────────────────────────────────


@dataclass
class Running:
    """One service as it runs here: its process (or server helper), environment, log."""

    name: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    server: object = None  # stack.PrivatePostgres, stack.PrivateRedis or servers.Nginx
    exit_code: int | None = None
    healthy: bool | None = None  # None: no health check of its own

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path else ""


def start_order(services: dict) -> list[str]:
    """Services after everything they depend on, otherwise in the file's order."""
    ordered: list[str] = []

    def visit(name: str, path: tuple = ()) -> None:
        if name in ordered:
            return
        if name in path:
            raise ValueError(f"depends_on cycle through {name}")
        for target in services[name].get("depends_on") or {}:
            visit(target, (*path, name))
        ordered.append(name)

    for name in services:
        visit(name)
    return ordered


class ComposeUp:
    """`docker compose up --wait` of docker-compose.yml, as plain processes under `root`."""

    def __init__(self, *, root: Path, shell: dict[str, str], nginx: str):
        self.root, self.shell, self.nginx = root, shell, nginx
        self.compose = load(shell)
        self.services: dict = self.compose["services"]
        self.ports: dict[tuple[str, int], int] = {}
        self.running: dict[str, Running] = {}
        self.image: Image | None = None
        self.url = ""  # the proxy's published address

    def up(self) -> None:
        for name in start_order(self.services):
            service = self.services[name]
            for target, rule in (service.get("depends_on") or {}).items():
                self._wait_for(target, rule["condition"])
            if "build" in service:
                self._start_app(name, service)
            elif service["image"].startswith("postgres:"):
                self._start_postgres(name, service)
            elif service["image"].startswith("redis:"):
                self._start_redis(name, service)
            elif service["image"].startswith("nginx:"):
                self._start_nginx(name, service)
            else:
                raise ValueError(f"{name}: no stand-in for the image {service['image']}")
        # --wait: every one-shot service done, every long-running one healthy.
        for name, service in self.services.items():
            if service.get("restart") == "no":
                self._wait_for(name, "service_completed_successfully")
            else:
                self._wait_for(name, "service_healthy")

    def down(self) -> None:
        for running in reversed(list(self.running.values())):
            if isinstance(running.server, servers.Nginx):
                servers.stop(running.server.process)
            elif isinstance(running.server, stack.PrivateRedis):
                running.server.stop()
            elif isinstance(running.server, stack.PrivatePostgres):
                running.server.destroy()
            elif running.process and running.process.poll() is None:
                servers.stop(running.process)

    def environment_of(self, name: str) -> dict[str, str]:
        """The environment a service's process was started with."""
        return dict(self.running[name].env)

    # ─── Services ────────────────────────────────────────────────────────

    def _volume_table(self, service: dict) -> dict[str, Path]:
        """{mount target: host folder or file} for a service's volumes."""
        table = {}
        for volume in service.get("volumes") or []:
            source, target = volume.split(":")[:2]
            if source.startswith((".", "/")):
                table[target] = (BASE_DIR / source).resolve()
            else:
                folder = self.root / "volumes" / source
                folder.mkdir(parents=True, exist_ok=True)
                table[target] = folder
        return table

    def _service_env(self, name: str, service: dict, table: dict[str, Path]) -> dict[str, str]:
        """The service's environment with container paths and addresses made host ones;
        an absolute path outside every mount becomes a folder of the service's own."""
        own = self.root / "containers" / name
        result = {}
        for key, value in environment(service, self.shell).items():
            value = host_addresses(host_paths(value, table), self.ports)
            if value.startswith("/") and not any(
                value.startswith(str(folder)) for folder in (self.root, *table.values())
            ):
                local = own / value.lstrip("/")
                local.mkdir(parents=True, exist_ok=True)
                value = str(local)
            result[key] = value
        return result

    def _start_app(self, name: str, service: dict) -> None:
        if self.image is None:
            self.image = build_image(self.root / "image")
        image = self.image
        table = self._volume_table(service)
        table.setdefault(image.workdir, image.folder)
        env = {**base_environment(image.folder), **image.env}
        env.update(self._service_env(name, service, table))
        for port in service.get("expose") or []:
            # The image's server listens on $PORT (config/gunicorn.conf.py): here a free one.
            host_port = servers.free_port()
            self.ports[(name, int(port))] = host_port
            if env.get("PORT") == str(port):
                env["PORT"] = str(host_port)
        command = service.get("command") or image.command
        if isinstance(command, str):
            command = shlex.split(command)
        command = [host_paths(part, table) for part in command]
        log_path = self.root / "logs" / f"{name}.log"
        log_path.parent.mkdir(exist_ok=True)
        with open(log_path, "w") as log:
            process = subprocess.Popen(
                command, cwd=image.folder, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self.running[name] = Running(name=name, env=env, process=process, log_path=log_path)

    def _start_postgres(self, name: str, service: dict) -> None:
        env = environment(service, self.shell)
        postgres = stack.PrivatePostgres(self.root).create()
        user = env.get("POSTGRES_USER", "postgres")
        database = env.get("POSTGRES_DB", user)
        with postgres.connect() as conn:
            conn.execute(
                sql.SQL("CREATE ROLE {} SUPERUSER LOGIN PASSWORD {}").format(
                    sql.Identifier(user), sql.Literal(env.get("POSTGRES_PASSWORD", ""))
                )
            )
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [database]
            ).fetchone()
            statement = "ALTER DATABASE {} OWNER TO {}" if exists else "CREATE DATABASE {} OWNER {}"
            conn.execute(sql.SQL(statement).format(sql.Identifier(database), sql.Identifier(user)))
        self.ports[(name, IMAGE_PORTS["postgres"])] = postgres.port
        self.running[name] = Running(name=name, env=env, server=postgres, healthy=True)

    def _start_redis(self, name: str, service: dict) -> None:
        redis = stack.PrivateRedis(self.root, command=service.get("command"))
        redis.start()  # returns once it answers PING, the service's own health check
        self.ports[(name, IMAGE_PORTS["redis"])] = redis.port
        self.running[name] = Running(name=name, server=redis, healthy=True)

    def _start_nginx(self, name: str, service: dict) -> None:
        table = self._volume_table(service)
        templates = [target for target in table if target.startswith("/etc/nginx/templates/")]
        if len(templates) != 1:
            raise ValueError(f"{name}: expected one template in /etc/nginx/templates/")
        env = self._service_env(name, service, table)
        # A published container port ("8000:80") is listened on at a free loopback port.
        published = {}
        for mapping in service.get("ports") or []:
            container_port = str(mapping).rsplit(":", 1)[-1]
            published[container_port] = servers.free_port()
        for key, value in env.items():
            if value in published:
                env[key] = f"127.0.0.1:{published[value]}"
        pattern = re.compile(env.get("NGINX_ENVSUBST_FILTER", ""))
        values = {key: value for key, value in env.items() if pattern.search(key)}
        server = envsubst(table[templates[0]].read_text(), values)
        port = next(iter(published.values()))
        prefix = self.root / "containers" / name / "nginx"
        proxy = servers.nginx_run(nginx=self.nginx, prefix=prefix, server=server, port=port)
        self.url = proxy.url
        self.running[name] = Running(
            name=name, env=env, server=proxy, log_path=prefix / "error.log", healthy=True
        )

    # ─── Conditions ──────────────────────────────────────────────────────

    def _wait_for(self, name: str, condition: str) -> None:
        running = self.running[name]
        if condition == "service_started":
            return
        if condition == "service_completed_successfully":
            if running.exit_code is None:
                running.exit_code = running.process.wait(timeout=600)
            if running.exit_code != 0:
                raise RuntimeError(f"{name} exited {running.exit_code}:\n{running.log()[-3000:]}")
            return
        if running.healthy:
            return
        command = self._healthcheck(name)
        deadline = time.monotonic() + HEALTH_SECONDS
        while time.monotonic() < deadline:
            if running.process.poll() is not None:
                raise RuntimeError(f"{name} exited:\n{running.log()[-3000:]}")
            result = subprocess.run(
                command,
                cwd=self.image.folder,
                env=running.env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            if result.returncode == 0:
                running.healthy = True
                return
            time.sleep(0.5)
        raise RuntimeError(f"{name} never became healthy:\n{running.log()[-3000:]}")

    def _healthcheck(self, name: str) -> list[str]:
        """The service's health check command, or the image's."""
        check = self.services[name].get("healthcheck")
        if check is None:
            return self.image.healthcheck
        if check.get("disable"):
            raise ValueError(f"{name} has no health check to wait on")
        test = check["test"]
        if isinstance(test, str):
            return ["sh", "-c", test]
        if test[0] == "CMD-SHELL":
            return ["sh", "-c", test[1]]
        return list(test[1:])


def envsubst(text: str, values: dict[str, str]) -> str:
    """`$NAME` and `${NAME}` replaced for the names in `values` only, as the nginx image's
    entrypoint runs envsubst; every other `$` (nginx's own variables) stays."""
    if not values:
        return text
    names = "|".join(re.escape(name) for name in sorted(values, key=len, reverse=True))
    pattern = re.compile(rf"\$(?:\{{({names})\}}|({names})(?![A-Za-z0-9_]))")
    return pattern.sub(lambda match: values[match.group(1) or match.group(2)], text)
