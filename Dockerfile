# Production image: gunicorn serving Riposte with whitenoise for static files.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
RUN pip install --upgrade pip && pip install .

COPY . .
RUN DJANGO_SECRET_KEY=collectstatic-only DATABASE_URL=postgres://unused/unused \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --create-home riposte && mkdir -p /app/media && chown riposte /app/media
USER riposte

EXPOSE 8000
CMD ["sh", "-c", "python manage.py migrate --noinput && gunicorn -c config/gunicorn.conf.py config.wsgi"]
