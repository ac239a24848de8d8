# SPDX-License-Identifier: GPL-2.0
#
# clink: build, test and install.  See README and Documentation/testing.rst.
#
#   make                 clink.ko for every kernel with headers, clinkctl,
#                        clinkd
#   make selftests       the C selftests (make check builds them)
#   make install         clink.ko (DKMS if present), clinkctl, clinkd, man
#                        pages, completion; PREFIX (/usr/local), DESTDIR,
#       INSTALL_KVER=<release>  the kernel clink.ko is for (uname -r)
#   make uninstall       removes what make install put there (give it the
#                        same PREFIX, DESTDIR and INSTALL_KVER)
#   make check           run the selftests in a VM per kernel
#       KVER=6.12        only kernels whose release contains "6.12"
#       T=netlink        only tests whose file name contains "netlink"
#       KROOT=<dir>      the kernel built in <dir> (selftests/debug)
#       BUILD=<dir>      build and log there instead of build/
#   make check-host      only the tests that run on the host, no VM
#   make check-debug     the same on a debug kernel (KASAN, lockdep, ...)
#   make demo            boot a VM and run demo/demo.sh
#   make bench           boot a VM and run bench/run (T=... is its argument)
#   make vm              a shell in a VM with clink loaded
#   make style           checkpatch --strict on the module and uapi header
#   make sparse          the module through sparse
#   make deb             the Debian packages clink-dkms, clinkctl, clinkd
#                        (debian/), into build/deb/
#   make clean
#
# Debian packages (scripts/deps lists them):
#   make deps-build      what make and make install need, with the headers
#                        of INSTALL_KVER when apt has them
#   make deps-test       that and what the tests need: the Debian cloud
#                        kernels the VMs boot, QEMU, linux-source-6.12, ...
#   make deps-package    what make deb needs: debhelper, dh-dkms, lintian,
#                        ... (make deps-test too: a host test builds them)
#   make deps            all of these
# make, make selftests and make install never install a package: they
# name what is missing and how to install it, and stop.  The test targets
# (check, check-host, check-debug, demo, bench, vm, style, sparse) install
# what they need first (make deps-test, as root), then build, selftests
# included: plain make leaves those out, as their harness comes from
# linux-source-6.12, a test package.  make deb likewise installs its own
# first (make deps-package).
#
# WERROR=1: the tools' warnings are errors.  make check and check-host
# (so CI) build so unless WERROR=0; plain make does not, so a newer
# compiler's new warning does not break make install.

SHELL := /bin/bash
srctree := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD ?= $(srctree)/build
VM := $(srctree)/selftests/vm

# What "make check" runs, and how long it may take.
KVER ?=
T ?=
TEST_TIMEOUT ?= 600
VM_TIMEOUT ?= 2700
# make DEBUG=1 builds clink.ko with CONFIG_CLINK_DEBUG=y (checks and
# in-module self-tests at load).  make check does so unless DEBUG=0.
# KROOT=<dir>: build for and test the one kernel in <dir> instead of the
# installed ones (bzImage, config, kernelrelease, lib/modules/<kver>/build;
# what selftests/debug/build-kernel.sh makes).
KROOT ?=
export BUILD KVER T TEST_TIMEOUT VM_TIMEOUT VM_JOBS VM_SMP KROOT

VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(srctree)/dkms.conf)
KSRC_TAR := /usr/src/linux-source-6.12.tar.xz
KSRC := $(BUILD)/ksrc
INSTALL_KVER ?= $(shell uname -r)
# PREFIX and the directories under it: tools/lib/lib.mk, for every tool.

# Recursively expanded on purpose: evaluated when a recipe runs, after
# "deps-test" may have installed the kernels.
# make 4.3 runs $(shell) in its own environment, not the exported one.
KERNELS = $(shell KROOT='$(KROOT)' $(VM)/kernels $(KVER))
BOOT_KERNEL = $(lastword $(shell KROOT='$(KROOT)' $(VM)/kernels --boot $(KVER)))

DEPS := CC='$(CC)' $(srctree)/scripts/deps

all: modules tools

deps:
	@$(DEPS) install build selftests test package headers:$(INSTALL_KVER)

deps-build:
	@$(DEPS) install build headers:$(INSTALL_KVER)

deps-test:
	@$(DEPS) install build selftests test package

deps-package:
	@$(DEPS) install build package

# What the debug kernel's build takes.
deps-debug: deps-test
	@$(DEPS) install debug

# Building only checks for its packages.  A test target installs them
# first: asked for on the command line, it makes these wait for deps-test
# (and so does anything they come before, even under -j).
TEST_GOALS := check check-host demo bench vm style sparse
ifneq ($(filter $(TEST_GOALS),$(MAKECMDGOALS)),)
need-build need-selftests: deps-test
endif

need-build:
	@$(DEPS) check build

need-selftests: need-build
	@$(DEPS) check selftests

# kbuild writes objects next to the sources, so each kernel gets its own
# tree of symlinks to kmod/ in build/<kver>/kmod.  The uapi header is found
# through -I include/ (#include <uapi/linux/clink.h>).
KBUILD_ARGS = W=1 KCFLAGS="-I$(srctree)/include" CONFIG_CLINK=m \
	$(if $(filter-out 0,$(DEBUG)),CONFIG_CLINK_DEBUG=y)

no_headers = printf '%s\n' >&2 \
	"clink.ko: no kernel headers found$(if $(KROOT), in KROOT=$(KROOT))$(if $(KVER), matching KVER=$(KVER))." \
	"  It is built for each kernel whose headers are installed: linux-headers-<release>" \
	"  (this kernel's: linux-headers-$$(uname -r)); make deps-test installs the" \
	"  Debian cloud kernels the tests boot, with theirs."

define kbuild_each
	@kernels="$(KERNELS)"; \
	[ -n "$$kernels" ] || { $(no_headers); exit 1; }; \
	for k in $$kernels; do \
		d=$(BUILD)/$$k/kmod; \
		mkdir -p $$d; \
		find $$d -xtype l -delete; \
		cp -rs --remove-destination $(srctree)/kmod/. $$d/; \
		echo "  KBUILD  clink.ko for $$k"; \
		$(MAKE) --no-print-directory -C $(KROOT)/lib/modules/$$k/build M=$$d \
			$(KBUILD_ARGS) $(1) || exit 1; \
		$(2) \
	done
endef

# A file listed as a prerequisite without a rule: a tree that lacks it
# fails with "No rule to make target", never builds less in silence.
modules: need-build $(srctree)/kmod/Kbuild
	$(call kbuild_each,modules,cp $$d/clink.ko $(BUILD)/$$k/clink.ko;)

sparse: need-build $(srctree)/kmod/Kbuild
	$(call kbuild_each,C=2 modules,)

# tools/lib: libclink.a, the netlink and JSON code the tools share.
TOOLS := tools/lib tools/clinkctl tools/clinkd tools/ip tools/systemd
# make $(1) in each directory of $(2), stopping at the first failure
make_each = for d in $(2); do \
		$(MAKE) --no-print-directory -C $$d $(1) || exit 1; \
	done

tools: need-build $(addsuffix /Makefile,$(TOOLS))
	@$(call make_each,,$(TOOLS))

selftests: need-selftests $(BUILD)/include/kselftest_harness.h
	@$(MAKE) --no-print-directory -C selftests BUILD=$(BUILD)

# Files from the kernel source: the selftest harness and checkpatch with
# what it reads.  One pass over the tarball, cached in build/.
KSRC_FILES := tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h scripts/checkpatch.pl \
	scripts/spelling.txt scripts/const_structs.checkpatch

$(KSRC)/.extracted: | need-selftests
	@echo "  EXTRACT $(notdir $(KSRC_TAR)): $(notdir $(KSRC_FILES))"
	@rm -rf $(KSRC) && mkdir -p $(KSRC)
	@tar -xJf $(KSRC_TAR) -C $(KSRC) --strip-components=1 --wildcards \
		$(addprefix */,$(KSRC_FILES))
	@touch $@

$(BUILD)/include/kselftest_harness.h: $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	@cp $(KSRC)/tools/testing/selftests/kselftest_harness.h \
		$(KSRC)/tools/testing/selftests/kselftest.h $(dir $@)

# What the VMs take in: everything, the C selftests too.
TEST_BUILD := modules tools selftests

# DEBUG=0 or WERROR=0 on the command line still wins.
check: DEBUG ?= 1
check check-host: export WERROR ?= 1
check: $(TEST_BUILD)
	@$(VM)/check

check-host: need-build
	@$(VM)/check --host

# The suite on a debug kernel (KASAN, UBSAN, lockdep, ...) built from
# linux-source-6.12 and cached; see Documentation/reliability.rst.
check-debug: deps-debug
	@selftests/debug/check.sh $(if $(T),T="$(T)") $(if $(KVER),KVER="$(KVER)")

demo: $(TEST_BUILD)
	@k="$(BOOT_KERNEL)"; [ -n "$$k" ] || { echo "no bootable kernel$(if $(KVER), matching '$(KVER)')"; exit 1; }; \
	$(VM)/vm demo $$k

bench: $(TEST_BUILD) bench/run bench/collect.sh
	@k="$(BOOT_KERNEL)"; [ -n "$$k" ] || { echo "no bootable kernel"; exit 1; }; \
	$(VM)/vm --timeout $(VM_TIMEOUT) --filter "$(T)" bench $$k || exit 1; \
	bench/collect.sh $(BUILD)/logs/$$k-bench.log

vm: $(TEST_BUILD)
	@$(VM)/vm shell $(BOOT_KERNEL)

style: $(KSRC)/.extracted
	@$(KSRC)/scripts/checkpatch.pl --no-tree --strict --show-types \
		-f $(wildcard kmod/*.[ch]) $(wildcard include/uapi/linux/clink.h)

# The module for the running kernel (INSTALL_KVER=... for another one):
# through DKMS when it is installed, so it follows kernel upgrades, else
# (and always with DESTDIR, for packaging) into /lib/modules/<kver>/extra.
# The tools install themselves (tools/*/Makefile): one list per tool that
# install and uninstall both read.
DKMS := $(if $(DESTDIR),,$(shell command -v dkms))
DKMS_SRC := /usr/src/clink-$(VERSION)
MODDIR := $(DESTDIR)/lib/modules/$(INSTALL_KVER)/extra
INSTALL_TOOLS := tools/clinkctl tools/clinkd tools/ip tools/systemd
dkms_remove = [ -z "$$(dkms status -m clink -v $(VERSION))" ] || \
	dkms remove -m clink -v $(VERSION) --all

install: install-module install-tools

install-module: need-build
	@$(if $(KROOT),,$(DEPS) check headers:$(INSTALL_KVER))
ifeq ($(DKMS),)
	@$(MAKE) --no-print-directory modules KVER=$(INSTALL_KVER)
	install -D -m 644 $(BUILD)/$(INSTALL_KVER)/clink.ko $(MODDIR)/clink.ko
	$(if $(DESTDIR),,depmod -a $(INSTALL_KVER))
else
	@$(MAKE) --no-print-directory install-dkms-src
	$(dkms_remove)
	dkms add -m clink -v $(VERSION)
	dkms install -m clink -v $(VERSION) -k $(INSTALL_KVER)
endif

# The module's source where DKMS takes it; with DESTDIR, for clink-dkms
# (debian/rules).
install-dkms-src: $(srctree)/dkms.conf
	rm -rf $(DESTDIR)$(DKMS_SRC) && mkdir -p $(DESTDIR)$(DKMS_SRC)
	cd $(srctree) && cp -r kmod include dkms.conf Kconfig $(DESTDIR)$(DKMS_SRC)/

install-tools: tools
	@$(call make_each,install,$(INSTALL_TOOLS))

uninstall: $(addsuffix /Makefile,$(INSTALL_TOOLS))
ifneq ($(DKMS),)
	$(dkms_remove)
	rm -rf $(DKMS_SRC)
endif
	rm -f $(MODDIR)/clink.ko
	$(if $(DESTDIR),,depmod -a $(INSTALL_KVER))
	@$(call make_each,uninstall,$(INSTALL_TOOLS))

# The Debian packages, built by dpkg-buildpackage in a copy of the tree
# (build/deb/clink-<version>/, so that its clean leaves the tree's objects
# alone): the .debs, .buildinfo and .changes land in build/deb/.
DEB_OUT := $(BUILD)/deb

deb: deps-package
	rm -rf $(DEB_OUT) && mkdir -p $(DEB_OUT)/clink-$(VERSION)
	tar -C $(srctree) --exclude=./build --exclude=./.git -cf - . | \
		tar -C $(DEB_OUT)/clink-$(VERSION) -xf -
	cd $(DEB_OUT)/clink-$(VERSION) && dpkg-buildpackage -us -uc -b
	@ls $(DEB_OUT)/*.deb

clean: $(addsuffix /Makefile,$(TOOLS))
	rm -rf $(BUILD)
	for d in $(TOOLS); do $(MAKE) -C $$d clean; done

.PHONY: all deps deps-build deps-test deps-package deps-debug need-build \
	need-selftests modules sparse tools selftests check check-host \
	check-debug demo bench vm style install install-module \
	install-dkms-src install-tools uninstall deb clean
