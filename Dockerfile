# The same build as `make install`, on a slim Python image; serves the API on port 8000.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY solver ./solver
COPY service ./service
COPY data ./data
COPY scripts ./scripts
RUN pip install --no-cache-dir .
ENV PYTHONUNBUFFERED=1 DATA_DIR=/app/var
EXPOSE 8000
CMD ["python", "-m", "service", "serve", "--host", "0.0.0.0", "--port", "8000"]
