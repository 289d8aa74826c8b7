# md_inert FILE: renders the Markdown of a report with a real CommonMark/GFM
# renderer (cmark-gfm with GitHub's extensions, tests/lib/deps.sh) and
# fails, saying what came out, when the HTML holds a link, an image, a
# comment or any tag a report's own Markdown never makes: data from
# outside must come out as text.
md_inert() {
	_mdhtml=$(cmark-gfm -e table -e autolink -e strikethrough \
	    -e tagfilter "$1") || { echo "cmark-gfm failed on $1" >&2; return 1; }
	_mdbad=$(printf '%s\n' "$_mdhtml" | grep -oE '<[!/]?[a-zA-Z0-9-]*' |
	    sed 's,^</*,,' | sort -u |
	    grep -vxE 'h[1-6]|p|strong|em|code|pre|table|thead|tbody|tr|th|td|ul|ol|li|hr|br')
	if [ -n "$_mdbad" ]; then
		echo "md_inert: $1 renders with: $(echo $_mdbad)" >&2
		printf '%s\n' "$_mdhtml" | grep -E '<(a|img|!)' | head -5 | sed 's/^/    /' >&2
		return 1
	fi
	return 0
}
