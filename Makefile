# Command index. The README's two commands are `make demo` and `make test`.
.PHONY: setup build demo test tsan bench eval eval-library format lint goldens golden-logs scenarios check fuzz

setup:            ## apt packages and models (Assets/)
	scripts/setup.sh
build:            ## release build
	swift build -c release
demo:             ## live three-pane demo on the default model
	scripts/demo.sh
test:             ## set-up, build, all tests (what CI runs)
	scripts/test.sh
bench: build      ## engine speed (all three models)
	.build/release/asyncvoice bench --model Assets/SmolLM2-135M-Instruct.Q4_1.gguf
	.build/release/asyncvoice bench --model Assets/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf
	.build/release/asyncvoice bench --model Assets/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
eval: build       ## the paper's comparison on the scenario library (virtual time)
	.build/release/asyncvoice eval --virtual-time --markdown
eval-library: build  ## the README's results: all scenarios, three modes, a shard per CPU (OUT=dir)
	scripts/eval-library.sh $(or $(OUT),/tmp/asyncvoice-eval)
fuzz:             ## 100,000 fuzzed transcripts and GGUF files (seeded, per-case time limit)
	scripts/fuzz.sh
tsan:             ## the live path under ThreadSanitizer (debug build in .build-tsan)
	scripts/tsan.sh
check: build      ## validate every transcript
	.build/release/asyncvoice check Transcripts
format:           ## swift format with the committed .swift-format
	swift format --in-place --recursive Sources Tests
lint:             ## swift format lint (what scripts/test.sh runs first; any finding fails)
	swift format lint --strict --recursive Sources Tests
goldens:          ## regenerate test goldens with the numpy reference (pip install numpy gguf regex)
	python3 Tools/make_goldens.py
golden-logs:      ## regenerate the golden event logs after an intended behaviour change
	scripts/update-golden-logs.sh
scenarios:        ## regenerate the scenario library
	python3 Tools/make_scenarios.py
