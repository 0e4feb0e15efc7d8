"""Imported by the worker pool's fork server only (transforms.offload.PRELOAD), never by
the job's process: Ctrl-C, which a terminal sends to the whole process group, is
ignored from here on, so the workers forked from this server are deaf to it from their
first instruction, not only once their initializer runs (transforms.lifetime); the
job's own process ends them."""

import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
