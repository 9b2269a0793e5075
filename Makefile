# Front end for CMake: `make demo` and `make check` do all the set-up on a
# fresh Debian 12 machine (dependencies, configure, build).
BUILD      ?= build
BUILD_SAN  ?= build-san
BUILD_REL  ?= build-release
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DEB_PKGS   := build-essential cmake pkg-config zlib1g-dev libdeflate-dev \
              libxxhash-dev libarchive-dev libcap-dev libcmocka-dev
# Used by the tests when present: side-by-side checks against util-linux,
# real ELF binaries of every class and byte order for the XIP tests,
# archivers and libcap's setcap for the input tests.
DEB_TEST_PKGS := util-linux util-linux-extra fakeroot python3 busybox-static \
                 gcc-arm-linux-gnueabihf gcc-mips-linux-gnu gcc-powerpc64-linux-gnu \
                 cpio xz-utils zstd bzip2 time libcap2-bin

.PHONY: all deps deps-test build check demo install clean

all: build

deps:
	@sh scripts/install-deps.sh $(DEB_PKGS)

deps-test: deps
	@sh scripts/install-deps.sh -- $(DEB_TEST_PKGS)

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

$(BUILD_SAN)/CMakeCache.txt:
	cmake -S . -B $(BUILD_SAN) -DCMAKE_BUILD_TYPE=Debug \
	      -DCRAMFS_SANITIZE=ON -DCRAMFS_WERROR=ON

# Optimised builds see more (maybe-uninitialized): compile one with -Werror too.
$(BUILD_REL)/CMakeCache.txt:
	cmake -S . -B $(BUILD_REL) -DCMAKE_BUILD_TYPE=Release -DCRAMFS_WERROR=ON

check: deps-test $(BUILD_SAN)/CMakeCache.txt $(BUILD_REL)/CMakeCache.txt
	cmake --build $(BUILD_REL) -j $(JOBS)
	cmake --build $(BUILD_SAN) -j $(JOBS)
	cd $(BUILD_SAN) && ctest --output-on-failure -j $(JOBS)

demo: build
	@sh scripts/demo.sh $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN) $(BUILD_REL) demo
