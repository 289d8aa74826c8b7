/* cmd_config.h: `dagtop config check` (cmd_config.c). */
#ifndef DAGTOP_CMD_CONFIG_H
#define DAGTOP_CMD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

struct cli_options;

/*
 * Prints every problem of the file (stderr, file:line) and the settings in
 * force with every password masked; 0 when the file is valid (warnings
 * included), 1 otherwise.  With connect, also reaches the context's
 * Airflow API (cmd_config_connect); 1 when it cannot.
 */
int	cmd_config_check(const struct cli_options *, bool connect);

/*
 * The zone check config_load takes (config_zone_check): zoneinfo_load
 * reads the name, from src/source, which config.c may not call.
 */
bool	config_zone_ok(const char *name, struct buf *why);

#endif
