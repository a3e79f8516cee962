# One image for web, worker and beat (docker-compose.yml picks the command).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH=/opt/venv/bin:$PATH

RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .

# Static files are collected and the message catalogues compiled (.po to .mo) at build
# time; these values exist only for this step.
RUN DJANGO_PRODUCTION=true \
    DJANGO_SECRET_KEY=collectstatic-only-0123456789-abcdefghijklmnopqrstuvwxyz \
    MFA_ENCRYPTION_KEY=Y29sbGVjdHN0YXRpYy1vbmx5LW5vdC1hLXNlY3JldCE= \
    DJANGO_ALLOWED_HOSTS=localhost DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 EMAIL_HOST=localhost \
    sh -c 'python manage.py collectstatic --noinput && python manage.py compile_catalogues'

RUN useradd --system --no-create-home recovery
USER recovery
EXPOSE 8000
CMD ["gunicorn", "-c", "python:recovery_support.gunicorn_conf", "recovery_support.wsgi"]
