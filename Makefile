# Berkas: top-level convenience targets. The build lives in build/.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
# make fuzz: the libFuzzer targets in their own clang build, each run for
# FUZZ_SECONDS over tests/fuzz/corpus/TARGET. New inputs go to
# $(FUZZ_DIR)/corpus/TARGET, crashing ones to $(FUZZ_DIR)/crashes/TARGET.
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= push pull merge
FUZZ_FLAGS ?=

.PHONY: all deps configure build run test package clean fuzz

all: build

deps:
	@bash installer/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j$(JOBS)

run: build
	@bash installer/run-demo.sh $(BUILD_DIR)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j$(JOBS)

# The Debian packages: $(BUILD_DIR)/berkas_*.deb and $(BUILD_DIR)/berkas-server_*.deb
# (installer/README.md).
package: build
	@cmake --build $(BUILD_DIR) --target package

fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBERKAS_FUZZ=ON \
		-DBERKAS_BUILD_TESTS=OFF -DBERKAS_BUILD_GUI_TESTS=OFF -DBERKAS_BUILD_DESKTOP=OFF >/dev/null
	@cmake --build $(FUZZ_DIR) -j$(JOBS) --target $(addprefix berkas-fuzz-,$(FUZZ_TARGETS))
	@failed=""; \
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus/$$t $(FUZZ_DIR)/crashes/$$t; \
		echo "fuzz: berkas-fuzz-$$t for $(FUZZ_SECONDS) s"; \
		$(FUZZ_DIR)/bin/berkas-fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -timeout=30 -print_final_stats=1 \
			-artifact_prefix=$(FUZZ_DIR)/crashes/$$t/ $(FUZZ_FLAGS) \
			$(FUZZ_DIR)/corpus/$$t tests/fuzz/corpus/$$t || failed="$$failed $$t"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: crashes in$$failed, inputs in $(FUZZ_DIR)/crashes/"; exit 1; fi

clean:
	@rm -rf $(BUILD_DIR)
