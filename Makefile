# srcfn: build, test, bench and run.
#   make        builds ./srcfn (optimised)
#   make test   builds an ASan+UBSan copy and runs every test; ends "N passed, N failed"
#   make bench  prints the benchmark figures and their ratio to the baselines
#   make run    installs what is missing, builds, and opens the studio on a ready-made function
#   make deps   installs the Debian packages and npm modules the build needs

CC      ?= cc
CXX     ?= c++
PKGS    := jansson libcurl openssl libmicrohttpd ncursesw sqlite3 yajl simdjson
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN    := -Wall -Wextra -Werror -Wno-missing-field-initializers
BASE    := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -g -pthread -Ibuild/duk -I.
LIBS    := $(PKG_LIBS) -lstdc++ -lm -pthread
# C++ only where a library is C++: engine/json-events.cc (simdjson).
CXXBASE := -std=c++17 -g -pthread -I.
# The release build allocates with mimalloc (it replaces malloc for the whole
# process): a run makes and frees thousands of small blocks, and glibc's malloc
# costs a tenth of a warm invocation. The sanitised build keeps ASan's malloc.
REL_LIBS := -Wl,--push-state,--no-as-needed -lmimalloc -Wl,--pop-state $(LIBS)

# Two flavours of every object: release (build/rel) and sanitised (build/asan).
REL_FLAGS  := -O2
ASAN_FLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

# engine/duk-unit.c is Duktape's translation unit, built with Duktape's flags below.
SRC := $(filter-out engine/duk-unit.c,$(wildcard engine/*.c workspace/*.c webhook/*.c tui/*.c cli/*.c))
CXXSRC := $(wildcard engine/*.cc)
HDR := $(wildcard util/*.h engine/*.h workspace/*.h webhook/*.h tui/*.h cli/*.h)

# JavaScript that is embedded into the binary (see engine/embed.c).
RUNTIME_JS  := $(sort $(wildcard engine/js/runtime/*.js))
COMPILER_JS := build/gen/compiler.js
NPM_STAMP   := node_modules/.srcfn-stamp

.PHONY: all test bench run deps clean
all: srcfn

# --- Duktape: Debian's amalgamation with our config overrides -----------------
# and one hook: duk_numconv_parse (every string-to-number conversion) first
# tries dukx_numconv_fast (engine/duk-unit.c); the build stops if the line
# it hooks is not found.
DUK_SRC := /usr/share/duktape
DUK_HOOK_CALL := \tduk__numconv_parse_raw(thr, radix, flags);
DUK_HOOK_FUNC := DUK_INTERNAL void duk_numconv_parse(duk_hthread \*thr, duk_small_int_t radix, duk_small_uint_t flags) {
build/duk/duk_config.h: $(DUK_SRC)/duk_config.h engine/duk_overrides.h Makefile
	@mkdir -p build/duk
	@test -f $(DUK_SRC)/duktape.c || { echo "missing $(DUK_SRC)/duktape.c: run 'make deps' (package duktape-dev)"; exit 1; }
	cp $(DUK_SRC)/duktape.h build/duk/
	sed -e 's/^$(DUK_HOOK_FUNC)$$/DUK_INTERNAL_DECL duk_bool_t dukx_numconv_fast(duk_hthread *, duk_small_int_t, duk_small_uint_t);\n&/' \
	    -e 's/^$(DUK_HOOK_CALL)$$/\tif (!dukx_numconv_fast(thr, radix, flags))\n\t&/' \
	    $(DUK_SRC)/duktape.c > build/duk/duktape.c
	test "$$(grep -c 'dukx_numconv_fast' build/duk/duktape.c)" = 2
	cp engine/duk_overrides.h build/duk/
	sed 's|/\* __OVERRIDE_DEFINES__ \*/|#include "duk_overrides.h"|' $< > $@
	grep -q '#include "duk_overrides.h"' $@

# The amalgamation and the helpers that need its internals (engine/duk-pack.h).
DUK_UNIT := engine/duk-unit.c engine/duk-pack.h build/duk/duk_config.h
build/rel/duktape.o: $(DUK_UNIT)
	@mkdir -p $(@D)
	$(CC) -std=c99 -O2 -g -Ibuild/duk -I. -c engine/duk-unit.c -o $@
build/asan/duktape.o: $(DUK_UNIT)
	@mkdir -p $(@D)
	$(CC) -std=c99 $(ASAN_FLAGS) -g -Ibuild/duk -I. -c engine/duk-unit.c -o $@

# --- JavaScript tooling from npm (versions pinned in package-lock.json) -------
$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# The compiler bundle: acorn, magic-string, sourcemap-codec and buble wrapped as
# modules, followed by our lowering pass. Loaded only when a cache misses.
JS_MODULES := acorn:node_modules/acorn/dist/acorn.js \
  sourcemap-codec:node_modules/sourcemap-codec/dist/sourcemap-codec.umd.js \
  magic-string:node_modules/magic-string/dist/magic-string.umd.js \
  buble:node_modules/buble/dist/buble-browser-deps.umd.js
$(COMPILER_JS): $(NPM_STAMP) build/gen/compiler-polyfills.js engine/js/compiler/prelude.js engine/js/compiler/lower.js tools/bundle.sh
	@mkdir -p $(@D)
	sh tools/bundle.sh $@ build/gen/compiler-polyfills.js engine/js/compiler/prelude.js \
	  engine/js/compiler/lower.js -- $(JS_MODULES)

# The runtime's files share one function scope (see engine/js/runtime/00-prelude.js).
build/gen/runtime.js: $(RUNTIME_JS)
	@mkdir -p $(@D)
	{ echo '(function (global) {'; cat $(RUNTIME_JS); echo '})(this);'; } > $@

# The compiler heap needs the same polyfills buble does (Map, Set, WeakMap).
build/gen/compiler-polyfills.js: engine/js/runtime/00-prelude.js engine/js/runtime/10-polyfills.js
	@mkdir -p $(@D)
	{ echo '(function (global) {'; cat $^; echo '})(this);'; } > $@

build/gen/compiler-id.h: $(COMPILER_JS)
	echo "#define COMPILER_ID \"$$(sha256sum $< | cut -c1-16)\"" > $@

build/gen/lodash.js: $(NPM_STAMP)
	@mkdir -p $(@D)
	cp node_modules/lodash/lodash.min.js $@

EMBEDDED := build/gen/runtime.js $(COMPILER_JS) build/gen/lodash.js build/gen/compiler-id.h

# --- our objects ---------------------------------------------------------------
REL_OBJ  := $(SRC:%.c=build/rel/%.o) $(CXXSRC:%.cc=build/rel/%.o)
ASAN_OBJ := $(SRC:%.c=build/asan/%.o) $(CXXSRC:%.cc=build/asan/%.o)

build/rel/%.o: %.c $(HDR) build/duk/duk_config.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(WARN) $(REL_FLAGS) $(PKG_CFLAGS) -c $< -o $@
build/asan/%.o: %.c $(HDR) build/duk/duk_config.h
	@mkdir -p $(@D)
	$(CC) $(BASE) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -c $< -o $@
build/rel/%.o: %.cc $(HDR)
	@mkdir -p $(@D)
	$(CXX) $(CXXBASE) $(WARN) $(REL_FLAGS) $(PKG_CFLAGS) -c $< -o $@
build/asan/%.o: %.cc $(HDR)
	@mkdir -p $(@D)
	$(CXX) $(CXXBASE) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -c $< -o $@
build/rel/engine/embed.o build/asan/engine/embed.o: $(EMBEDDED)
build/rel/engine/embed.o build/asan/engine/embed.o: BASE += -include build/gen/compiler-id.h

srcfn: $(REL_OBJ) build/rel/duktape.o
	$(CC) $(REL_FLAGS) -o $@ $^ $(REL_LIBS)
build/asan/srcfn: $(ASAN_OBJ) build/asan/duktape.o
	$(CC) $(ASAN_FLAGS) -o $@ $^ $(LIBS)

# --- C unit tests (tests/unit/test-*.c), linked against everything but main ---
UNIT_SRC  := $(wildcard tests/unit/test-*.c)
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)
LIB_ASAN  := $(filter-out build/asan/cli/% build/asan/tui/%,$(ASAN_OBJ)) build/asan/duktape.o
build/asan/tests/%: tests/unit/%.c tests/unit/check.h tests/unit/duk-check.h $(LIB_ASAN)
	@mkdir -p $(@D)
	$(CC) $(BASE) $(WARN) $(ASAN_FLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_ASAN) $(filter build/asan/tui/%,$^) $(LIBS)
# The editor's tests also link the editor (model and view).
$(filter build/asan/tests/test-editor%,$(UNIT_BIN)): $(filter build/asan/tui/editor%,$(ASAN_OBJ))

test: srcfn build/asan/srcfn $(UNIT_BIN)
	@sh tests/run.sh

bench: srcfn
	@sh bench/run.sh

deps:
	sh tools/install-deps.sh

# The studio on a ready-made function: build/demo is a workspace holding
# "welcome" (the default template), made once. Without a terminal it runs
# that function on its first example instead.
run:
	@sh tools/install-deps.sh --if-missing
	@$(MAKE) --no-print-directory srcfn
	@mkdir -p build/demo
	@test -d build/demo/.srcfn || (cd build/demo && ../../srcfn init >/dev/null)
	@test -d build/demo/welcome || (cd build/demo && ../../srcfn new welcome >/dev/null)
	@if [ -t 0 ] && [ -t 1 ]; then cd build/demo && ../../srcfn studio welcome; \
	else ./srcfn run build/demo/welcome; fi

clean:
	rm -rf build srcfn

# --- benchmark ------------------------------------------------------------------
LIB_REL := $(filter-out build/rel/cli/% build/rel/tui/%,$(REL_OBJ)) build/rel/duktape.o
build/rel/bench-engine: bench/bench-engine.c $(LIB_REL)
	$(CC) $(BASE) $(WARN) $(REL_FLAGS) $(PKG_CFLAGS) -o $@ $< $(LIB_REL) $(REL_LIBS)
# The ceiling bench/serve.sh measures `srcfn serve` against (libmicrohttpd alone),
# and the floor (the same, storing each body with one write; see the file).
build/rel/mhd-ceiling: bench/mhd-ceiling.c build/rel/webhook/jsoncheck.o build/rel/webhook/jsonsort.o
	@mkdir -p $(@D)
	$(CC) $(BASE) $(WARN) $(REL_FLAGS) $(PKG_CFLAGS) -o $@ $^ $(REL_LIBS)
