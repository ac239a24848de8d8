# SPDX-License-Identifier: GPL-2.0
#
# clink: build, test and install.  See README and Documentation/testing.rst.
#
#   make                 clink.ko for every kernel with headers, clinkctl,
#                        the C selftests
#   make deps            install the Debian packages all this needs
#   make check           run the selftests in a VM per kernel
#       KVER=6.12        only kernels whose release contains "6.12"
#       T=netlink        only tests whose file name contains "netlink"
#       KROOT=<dir>      the kernel built in <dir> (selftests/debug)
#       BUILD=<dir>      build and log there instead of build/
#   make check-debug     the same on a debug kernel (KASAN, lockdep, ...)
#   make demo            boot a VM and run demo/demo.sh
#   make bench           boot a VM and run bench/run (T=... is its argument)
#   make vm              a shell in a VM with clink loaded
#   make style           checkpatch --strict on the module and uapi header
#   make sparse          the module through sparse
#   make install         clink.ko (DKMS if present), clinkctl, clinkd, man pages
#   make clean
#
# Every target installs what it needs first (make deps), as root.

SHELL := /bin/bash
srctree := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
BUILD ?= $(srctree)/build
VM := $(srctree)/selftests/vm

# What "make check" runs, and how long it may take.
KVER ?=
T ?=
TEST_TIMEOUT ?= 600
VM_TIMEOUT ?= 1800
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
PREFIX ?= /usr/local

# Recursively expanded on purpose: evaluated when a recipe runs, after
# "deps" may have installed the kernels.
# make 4.3 runs $(shell) in its own environment, not the exported one.
KERNELS = $(shell KROOT='$(KROOT)' $(VM)/kernels $(KVER))
BOOT_KERNEL = $(lastword $(shell KROOT='$(KROOT)' $(VM)/kernels --boot $(KVER)))

DEB_PKGS := make gcc libc6-dev pkg-config libmnl-dev libnl-3-dev \
	libnl-genl-3-dev sparse perl kmod cpio xz-utils \
	linux-image-cloud-amd64 linux-headers-cloud-amd64 \
	linux-image-6.12-cloud-amd64 linux-headers-6.12-cloud-amd64 \
	linux-source-6.12 qemu-system-x86 busybox-static bash coreutils \
	util-linux procps findutils grep sed iproute2 tcpdump tshark \
	jq strace ethtool socat python3 python3-yaml python3-jsonschema \
	libcurl4-openssl-dev libjson-c-dev etcd-server curl bird2 etcd-client
# What building the debug kernel takes (make check-debug).
DEB_PKGS_DEBUG := build-essential flex bison bc libelf-dev libssl-dev

all: modules tools selftests

# Only asks apt when a package is missing, so it is cheap to depend on.
define install_missing
	@missing=$$(comm -13 \
		<(dpkg-query -W -f='$${Package} $${db:Status-Status}\n' \
			$(1) 2>/dev/null | awk '$$2 == "installed" { print $$1 }' | sort -u) \
		<(printf '%s\n' $(1) | sort -u) | tr '\n' ' '); \
	if [ -n "$$missing" ]; then \
		echo "deps: installing $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -q && \
		apt-get install -y -q --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call install_missing,$(DEB_PKGS))

deps-debug: deps
	$(call install_missing,$(DEB_PKGS_DEBUG))

# kbuild writes objects next to the sources, so each kernel gets its own
# tree of symlinks to kmod/ in build/<kver>/kmod.  The uapi header is found
# through -I include/ (#include <uapi/linux/clink.h>).
KBUILD_ARGS = W=1 KCFLAGS="-I$(srctree)/include" CONFIG_CLINK=m \
	$(if $(filter-out 0,$(DEBUG)),CONFIG_CLINK_DEBUG=y)

define kbuild_each
	@kernels="$(KERNELS)"; \
	[ -n "$$kernels" ] || { echo "no kernel headers installed (make deps)"; exit 1; }; \
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
modules: deps $(srctree)/kmod/Kbuild
	$(call kbuild_each,modules,cp $$d/clink.ko $(BUILD)/$$k/clink.ko;)

sparse: deps $(srctree)/kmod/Kbuild
	$(call kbuild_each,C=2 modules,)

# tools/lib: libclink.a, the netlink and JSON code the tools share.
TOOLS := tools/lib tools/clinkctl tools/clinkd

tools: deps $(addsuffix /Makefile,$(TOOLS))
	@for d in $(TOOLS); do \
		$(MAKE) --no-print-directory -C $$d || exit 1; \
	done

selftests: deps $(BUILD)/include/kselftest_harness.h
	@$(MAKE) --no-print-directory -C selftests BUILD=$(BUILD)

# Files from the kernel source: the selftest harness and checkpatch with
# what it reads.  One pass over the tarball, cached in build/.
KSRC_FILES := tools/testing/selftests/kselftest_harness.h \
	tools/testing/selftests/kselftest.h scripts/checkpatch.pl \
	scripts/spelling.txt scripts/const_structs.checkpatch

$(KSRC)/.extracted: | deps
	@echo "  EXTRACT $(notdir $(KSRC_TAR)): $(notdir $(KSRC_FILES))"
	@rm -rf $(KSRC) && mkdir -p $(KSRC)
	@tar -xJf $(KSRC_TAR) -C $(KSRC) --strip-components=1 --wildcards \
		$(addprefix */,$(KSRC_FILES))
	@touch $@

$(BUILD)/include/kselftest_harness.h: $(KSRC)/.extracted
	@mkdir -p $(dir $@)
	@cp $(KSRC)/tools/testing/selftests/kselftest_harness.h \
		$(KSRC)/tools/testing/selftests/kselftest.h $(dir $@)

# DEBUG=0 on the command line still wins.
check: DEBUG ?= 1
check: all
	@$(VM)/check

# The suite on a debug kernel (KASAN, UBSAN, lockdep, ...) built from
# linux-source-6.12 and cached; see Documentation/reliability.rst.
check-debug: deps-debug
	@selftests/debug/check.sh $(if $(T),T="$(T)") $(if $(KVER),KVER="$(KVER)")

demo: all
	@k="$(BOOT_KERNEL)"; [ -n "$$k" ] || { echo "no bootable kernel$(if $(KVER), matching '$(KVER)')"; exit 1; }; \
	$(VM)/vm demo $$k

bench: all bench/run bench/collect.sh
	@k="$(BOOT_KERNEL)"; [ -n "$$k" ] || { echo "no bootable kernel"; exit 1; }; \
	$(VM)/vm --timeout $(VM_TIMEOUT) --filter "$(T)" bench $$k || exit 1; \
	bench/collect.sh $(BUILD)/logs/$$k-bench.log

vm: all
	@$(VM)/vm shell $(BOOT_KERNEL)

style: $(KSRC)/.extracted
	@$(KSRC)/scripts/checkpatch.pl --no-tree --strict --show-types \
		-f $(wildcard kmod/*.[ch]) $(wildcard include/uapi/linux/clink.h)

# The module for the running kernel (INSTALL_KVER=... for another one):
# through DKMS when it is installed, so it follows kernel upgrades, else
# (and always with DESTDIR, for packaging) into /lib/modules/<kver>/extra.
install: tools
	@set -e; \
	if [ -z "$(DESTDIR)" ] && command -v dkms >/dev/null; then \
		src=/usr/src/clink-$(VERSION); \
		rm -rf $$src && mkdir -p $$src; \
		cp -r kmod include dkms.conf Kconfig $$src/; \
		dkms remove -m clink -v $(VERSION) --all >/dev/null 2>&1 || true; \
		dkms add -m clink -v $(VERSION); \
		dkms install -m clink -v $(VERSION) -k $(INSTALL_KVER); \
	else \
		$(MAKE) --no-print-directory modules KVER=$(INSTALL_KVER); \
		[ -f $(BUILD)/$(INSTALL_KVER)/clink.ko ] || \
			{ echo "install: no clink.ko for $(INSTALL_KVER): are its headers installed?"; exit 1; }; \
		install -D -m 644 $(BUILD)/$(INSTALL_KVER)/clink.ko \
			$(DESTDIR)/lib/modules/$(INSTALL_KVER)/extra/clink.ko; \
		[ -n "$(DESTDIR)" ] || depmod -a $(INSTALL_KVER); \
	fi
	@$(MAKE) --no-print-directory -C tools/clinkctl install \
		DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)
	@$(MAKE) --no-print-directory -C tools/clinkd install \
		DESTDIR=$(DESTDIR) PREFIX=$(PREFIX)

clean: $(addsuffix /Makefile,$(TOOLS))
	rm -rf $(BUILD)
	for d in $(TOOLS); do $(MAKE) -C $$d clean; done

.PHONY: all deps deps-debug modules sparse tools selftests check \
	check-debug demo bench vm style install clean
