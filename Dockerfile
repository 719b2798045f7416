# The same build as `make install`, on a slim Python image.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY solver ./solver
COPY service ./service
COPY data ./data
COPY scripts ./scripts
RUN pip install --no-cache-dir .
ENV PYTHONUNBUFFERED=1
CMD ["python", "-m", "solver", "plan", "--roster", "data/guangdong", "--round", "2021-2025", "--out", "/tmp/plan"]
