"""`wiretrace run` as a script, for launchers that run a Python file with options
(Airflow's BeamRunPythonPipelineOperator): python wiretrace_job.py --input=... --output=..."""

import sys

from pipeline.cli import run

if __name__ == "__main__":
    sys.exit(run(["run", *sys.argv[1:]]))
