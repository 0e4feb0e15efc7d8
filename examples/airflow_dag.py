"""Airflow: the daily run with Beam's own operator (apache-airflow-providers-apache-beam).

The operator runs `python wiretrace_job.py --input=... --output=... --date=...` with the
run's logical date; `wiretrace_job.py` (beside this file) is `wiretrace run`. For
Dataflow, set runner="DataflowRunner" and add the project, region, temp_location and
setup_file options (README, "Distributed runners").
"""

from pathlib import Path

import pendulum
from airflow import DAG
from airflow.providers.apache.beam.operators.beam import BeamRunPythonPipelineOperator

with DAG(
    dag_id="wiretrace_daily",
    schedule="15 2 * * *",
    start_date=pendulum.datetime(2026, 11, 1, tz="UTC"),
    catchup=False,
    tags=["wiretrace"],
) as dag:
    BeamRunPythonPipelineOperator(
        task_id="provenance_maps",
        py_file=str(Path(__file__).with_name("wiretrace_job.py")),
        runner="DirectRunner",
        pipeline_options={
            "input": "/data/crawl/{date}",
            "output": "/data/maps/{date}",
            "index": "/data/index",
            "history": "/data/index",
            "date": "{{ ds }}",
            "overwrite": True,
        },
        py_requirements=["/srv/wiretrace"],  # a checkout of this repository, installed into the task's venv
        py_system_site_packages=False,
    )
