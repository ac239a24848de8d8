# SPDX-License-Identifier: GPL-2.0
#
# What the Makefiles of tools/lib, tools/clinkctl and tools/clinkd share,
# included first: the project's version, install paths, libclink and its
# dependencies, the flags every tool is built with, the sanitizers of the
# host tests.

top := $(abspath $(dir $(lastword $(MAKEFILE_LIST)))/../..)
.DEFAULT_GOAL := all

CC ?= cc
AR ?= ar
PKG_CONFIG ?= pkg-config
# the project's version, as the module's (dkms.conf)
VERSION ?= $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' $(top)/dkms.conf 2>/dev/null)
ifeq ($(VERSION),)
VERSION := 0.1.0
endif
# Where "make install" puts things, whether run here or from the top
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# /etc whatever the prefix: iproute2 reads only /etc/iproute2
SYSCONFDIR ?= /etc

# libclink: the netlink transport, value parsers, JSON records and etcd
# client clinkctl and clinkd share
LIB := $(top)/tools/lib
LIB_HDRS := $(wildcard $(LIB)/*.h) $(top)/include/uapi/linux/clink.h
# not json-c's cflags: its -I.../json-c would shadow our json.h; <json-c/json.h>
DEP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl)
DEP_LIBS := $(shell $(PKG_CONFIG) --libs libmnl json-c libcurl 2>/dev/null || \
	echo -lmnl -ljson-c -lcurl)

CFLAGS ?= -O2 -g
# WERROR=1 (make check, CI): a warning fails the build.  Not by default:
# a newer compiler's new warning must not stop an install.
override CFLAGS += -std=gnu11 -Wall -Wextra $(if $(filter 1,$(WERROR)),-Werror) \
	-I$(top)/include/uapi $(DEP_CFLAGS)
LDLIBS += $(DEP_LIBS)

# The host tests run sanitized: an overflow or undefined behaviour aborts.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer

# What a tool installs: INSTALL_FILES, "mode:file:path" each (the path
# under DESTDIR), one list that install and uninstall both read, so that
# uninstall removes exactly what install put there.
inst_word = $(word $(1),$(subst :, ,$(2)))

install: all
	$(foreach f,$(INSTALL_FILES),install -D -m $(call inst_word,1,$f) \
		$(call inst_word,2,$f) $(DESTDIR)$(call inst_word,3,$f) &&) true

uninstall:
	rm -f $(foreach f,$(INSTALL_FILES),$(DESTDIR)$(call inst_word,3,$f))

.PHONY: install uninstall

# In a tool's directory: the library's own Makefile knows when it is out
# of date.
ifneq ($(realpath $(CURDIR)),$(realpath $(LIB)))
$(LIB)/libclink.a $(LIB)/libclink-san.a: FORCE
	@$(MAKE) --no-print-directory -C $(LIB) $(if $(findstring san,$@),san)

.PHONY: FORCE
endif
