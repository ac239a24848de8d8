/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKCTL_JSON_H
#define _CLINKCTL_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/*
 * One printer for both output modes, after iproute2's print_*(PRINT_ANY):
 * in text mode the print_* helpers printf their format (when not NULL) and
 * the structure calls do nothing; in JSON mode they emit "key": value and
 * the format is ignored. A NULL key is an array element.
 */
void json_setup(FILE *out, bool json, bool pretty);
bool is_json(void);

void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);

/*
 * The array a show command prints: "[" goes out with the first object, so
 * a command that fails before printing any prints nothing (not even "[]");
 * @ret is the command's status.
 */
void open_json_list(void);
void close_json_list(int ret);

void print_string(const char *key, const char *fmt, const char *val);
void print_uint(const char *key, const char *fmt, uint64_t val);
void print_onoff(const char *key, const char *fmt, bool val);
__attribute__((format(printf, 1, 2)))
void print_text(const char *fmt, ...);

#endif /* _CLINKCTL_JSON_H */
