#!/bin/sh
# builtin.sh KEYS VIEW: writes a C header holding the two files as the
# strings builtin_keys and builtin_view (console.c's fallback when no
# keymap or view file can be read).  Backslashes, quotes, tabs and "?"
# (no trigraphs) are escaped; every line keeps its newline.
set -eu
literal() {
	printf 'static const char %s[] =\n' "$1"
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/	/\\t/g' -e 's/?/\\?/g' \
	    -e 's/^/    "/' -e 's/$/\\n"/' "$2"
	printf '    "";\n'
}
printf '/* Made by src/ui/builtin.sh from %s and %s: do not edit. */\n' "$1" "$2"
literal builtin_keys "$1"
literal builtin_view "$2"
