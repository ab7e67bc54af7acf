# One command each. The README's two set-up commands are the source of truth for newcomers;
# these are shortcuts for people already inside the virtual environment.
.PHONY: run test lint bench

run:
	streamlit run app.py

test:
	python -m pytest

lint:
	ruff check . && ruff format --check .

bench:
	python bench/import_throughput.py
	python bench/demo_build.py
