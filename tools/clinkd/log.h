/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _CLINKD_LOG_H
#define _CLINKD_LOG_H

/*
 * One line per event on stderr, with the sd-daemon(3) level prefix
 * ("<3>" error .. "<7>" debug), which journald turns into the priority
 * and a terminal shows as is.
 */
extern int log_level;

__attribute__((format(printf, 2, 3)))
void log_msg(int level, const char *fmt, ...);

#define log_err(...)	log_msg(3, __VA_ARGS__)
#define log_warn(...)	log_msg(4, __VA_ARGS__)
#define log_notice(...)	log_msg(5, __VA_ARGS__)
#define log_info(...)	log_msg(6, __VA_ARGS__)
#define log_debug(...)	log_msg(7, __VA_ARGS__)

#endif /* _CLINKD_LOG_H */
