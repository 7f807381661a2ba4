"""docker-compose.yml and the Dockerfile hold together (issue 12).

`docker compose config` validates the file where the Docker CLI has the compose
plugin; everywhere else (and always) the file is read as YAML and checked for
what `docker compose up` relies on: dependencies, health checks, volumes, the
proxy as the only way in. The Dockerfile's build context is checked the same way.
tests/production/test_compose_up.py runs the services themselves without containers.
"""

import re
import shutil
import subprocess

import pytest
import yaml
from django.conf import settings

from tests.production.compose import COMPOSE_FILE, build_image, dockerfile_instructions
from tests.production.servers import BASE_DIR, NGINX_TEMPLATE

CONDITIONS = {"service_started", "service_healthy", "service_completed_successfully"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _has_healthcheck(service: dict) -> bool:
    """Its own healthcheck, or one from the Dockerfile when the service builds it."""
    if "healthcheck" in service:
        return not service["healthcheck"].get("disable", False)
    return "build" in service and bool(dockerfile_instructions("HEALTHCHECK"))


def _compose_plugin() -> bool:
    if not shutil.which("docker"):
        return False
    found = subprocess.run(["docker", "compose", "version"], capture_output=True, check=False)
    return found.returncode == 0


# ─── docker-compose.yml ──────────────────────────────────────────────────────


def test_docker_compose_accepts_the_file():
    if not _compose_plugin():
        pytest.skip("the docker compose plugin is not installed; the YAML checks below still run")
    result = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE_FILE), "config", "--quiet"],
        capture_output=True,
        text=True,
        env={"DJANGO_SECRET_KEY": "compose-config-check", "PATH": "/usr/bin:/usr/local/bin"},
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_compose_runs_every_part_of_the_site(services):
    assert {"db", "redis", "migrate", "web", "proxy"} <= set(services)


def test_every_dependency_names_a_service_and_a_known_condition(services):
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            assert target in services, f"{name} depends on missing {target}"
            assert rule["condition"] in CONDITIONS, f"{name} -> {target}"


def test_services_waited_on_as_healthy_have_a_healthcheck(services):
    for name, service in services.items():
        for target, rule in (service.get("depends_on") or {}).items():
            if rule["condition"] == "service_healthy":
                assert _has_healthcheck(services[target]), f"{name} waits on {target}'s health"


def test_long_running_services_have_healthchecks(services):
    for name in ("db", "redis", "web", "proxy"):
        assert _has_healthcheck(services[name]), name


def test_migrations_run_once_before_the_app_starts(services):
    migrate = services["migrate"]
    assert "migrate" in " ".join(migrate["command"])
    assert migrate.get("restart") == "no"
    assert migrate["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "migrate" not in " ".join(dockerfile_instructions("CMD"))


def test_job_worker_runs_from_the_app_image_after_migrations(services):
    """Every email goes out through the job queue: without this service none would."""
    worker = services["worker"]
    assert worker["image"] == services["web"]["image"]
    assert worker["command"][-1] == "jobs_worker"
    assert worker["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert worker.get("restart") == "unless-stopped"
    assert _has_healthcheck(worker)


def test_the_app_is_only_reachable_through_the_proxy(services):
    """gunicorn trusts X-Forwarded-For, so no port may lead to it around nginx."""
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    environment = services["web"]["environment"]
    assert environment["DJANGO_BEHIND_PROXY"] == "true"
    assert environment["RIPOSTE_TRUSTED_PROXIES"] == "1"


def test_redis_outage_does_not_keep_the_app_from_starting(services):
    assert services["web"]["depends_on"]["redis"]["condition"] == "service_started"


def test_named_volumes_are_declared(compose, services):
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                assert source in declared, f"{name} mounts undeclared volume {source}"
    assert {"pgdata", "media", "static"} <= declared


def test_bind_mounted_files_exist_in_the_repository(services):
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (BASE_DIR / source).exists(), f"{name} mounts missing {source}"


def test_proxy_is_given_every_value_its_config_template_uses(services):
    proxy = services["proxy"]
    used = set(re.findall(r"\$\{([A-Z_]+)\}", NGINX_TEMPLATE.read_text()))
    assert used <= set(proxy["environment"])
    assert all(re.match(proxy["environment"]["NGINX_ENVSUBST_FILTER"], name) for name in used)
    mounts = " ".join(proxy["volumes"])
    assert "/etc/nginx/templates/default.conf.template" in mounts


def test_proxy_serves_the_static_files_migrate_copies(services):
    static_root = services["proxy"]["environment"]["RIPOSTE_STATIC_ROOT"]
    assert f"static:{static_root}:ro" in services["proxy"]["volumes"]
    assert "static:/srv/static" in services["migrate"]["volumes"]
    assert "/srv/static/" in " ".join(services["migrate"]["command"])


# ─── Dockerfile and build context ────────────────────────────────────────────


def test_every_path_the_dockerfile_copies_exists():
    for arguments in dockerfile_instructions("COPY"):
        *sources, _destination = arguments.split()
        for source in sources:
            if source.startswith("--"):
                continue
            assert (BASE_DIR / source).exists(), f"COPY {source}: no such path"


def test_every_local_app_is_copied_into_the_image():
    copied = {args.split()[0] for args in dockerfile_instructions("COPY")}
    local_apps = {app for app in settings.INSTALLED_APPS if (BASE_DIR / app).is_dir()}
    assert local_apps | {"config", "templates", "static", "manage.py"} <= copied


def test_build_context_leaves_out_local_data_and_secrets():
    ignored = set((BASE_DIR / ".dockerignore").read_text().split())
    assert {".venv", ".data", "media", ".env", ".git"} <= ignored


def test_image_runs_gunicorn_as_an_unprivileged_user_with_static_files_collected():
    users = dockerfile_instructions("USER")
    assert users and users[-1] not in ("root", "0")
    assert any("collectstatic" in run for run in dockerfile_instructions("RUN"))
    assert dockerfile_instructions("HEALTHCHECK")
    assert dockerfile_instructions("CMD")[-1].startswith('["gunicorn"')
    assert dockerfile_instructions("FROM")[0].endswith("-slim")


def test_image_build_steps_work_from_the_copied_files_alone(tmp_path):
    """What the Dockerfile copies is enough to run its collectstatic step, as in the build
    (with none of this run's settings in the environment)."""
    image = build_image(tmp_path / "app")
    assert (image.folder / "staticfiles" / "staticfiles.json").exists()


def test_compose_interpolates_only_the_variables_it_means_to():
    """Compose replaces every `$NAME`; a literal `$` (e.g. for a shell) must be written `$$`."""
    text = "\n".join(line.split("#")[0] for line in COMPOSE_FILE.read_text().splitlines())
    assert re.findall(r"\$(?!\{[A-Z_]+(?::?[-?][^}]*)?\}|\$)", text) == []
