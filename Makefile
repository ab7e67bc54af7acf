# One command each. The README's two set-up commands are the source of truth for newcomers;
# these are shortcuts for people already inside the virtual environment.
.PHONY: run test lint bench

run:
	streamlit run app.py

test:
	python -m pytest

lint:
	ruff check . && ruff format --check .

# Each prints its figures; page_timings needs the demo warehouse (run the app once first).
bench:
	python bench/demo_build.py
	python bench/first_start.py
	python bench/import_throughput.py
	python bench/feature_build.py
	python bench/model_speed.py
	python bench/page_timings.py
	python bench/page_cost.py
	python bench/pipeline_speed.py
	python bench/quality.py --paper
	python bench/policy.py
	python bench/holdout_proof.py
