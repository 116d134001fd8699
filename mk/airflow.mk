# Airflow (airflow/): the daily DAG, its tests and a local Airflow UI.
#   make test-airflow  the DAG tests: import/shape, dag.test() on the local target and on
#                      moto, and the browser test (real Airflow + headless Chromium)
#   make airflow       api-server + scheduler + dag-processor in the background,
#                      127.0.0.1 only, no login, AIRFLOW_HOME=.airflow/, local target on
#                      $(LAKE); PIDs in .airflow/pids. AIRFLOW_PORT=8080 by default.
#   make airflow-stop  stops exactly the processes `make airflow` started
# See airflow/README.md.

AIRFLOW_PORT ?= 8080

.PHONY: test-airflow airflow airflow-stop

test-airflow: env ## Airflow DAG tests (import, dag.test local + moto, browser)
	$(PY) -m pytest -m "airflow or browser" tests/dags --durations=10

airflow: env ## start a local Airflow UI for the DAG (127.0.0.1, port AIRFLOW_PORT=8080)
	$(PY) airflow/local_airflow.py start --home .airflow --port $(AIRFLOW_PORT) --lake $(LAKE)

airflow-stop: ## stop the local Airflow started by `make airflow`
	$(PY) airflow/local_airflow.py stop --home .airflow
