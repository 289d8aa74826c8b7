/*
 * sanitize.c: the filter that every string from outside passes through on
 * its way to a terminal, a report file or a pipe, with the UTF-8 decoder and
 * the column widths it needs.
 *
 * Input bytes go through a WHATWG-style UTF-8 decoder (one byte at a time,
 * so a character may be split across sanitize_feed() calls) that yields code
 * points, ill-formed subsequences becoming U+FFFD by the maximal subpart
 * rule.  Code points then go through a small escape-sequence parser in the
 * spirit of the DEC VT500 one: sequences are swallowed and dropped, and
 * everything that reaches the output is printable or shown in caret
 * ("^[") or "<U+0085>" form.  Nothing here looks at the locale.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "sanitize.h"

#define C_BEL		0x07
#define C_CAN		0x18
#define C_SUB		0x1a
#define C_ESC		0x1b
#define C_DEL		0x7f
#define C1_ST		0x9c
#define CP_REPLACEMENT	0xfffd

enum {
	ST_GROUND,	/* ordinary text */
	ST_ESC,		/* after ESC */
	ST_ESC_INTER,	/* ESC and intermediates (0x20-0x2F): nF sequence */
	ST_CSI,		/* ESC [ or U+009B: parameters, intermediates */
	ST_STRING,	/* body of OSC, DCS, SOS, PM or APC */
	ST_STRING_ESC	/* ESC inside a string: ST if a backslash follows */
};

struct cp_range {
	uint32_t	lo;
	uint32_t	hi;
};

/*
 * Width tables, Unicode 15.0.0, made from the Unicode Character Database
 * files shipped by Debian's unicode-data 15.0.0 package by merging adjacent
 * code points into ranges:
 *
 * zero_width: General_Category Mn, Me or Cf in extracted/
 *   DerivedGeneralCategory.txt (Cf brings ZWJ, ZWNJ and the other invisible
 *   format characters; Mn brings the variation selectors), less U+00AD SOFT
 *   HYPHEN and the Prepended_Concatenation_Mark characters of PropList.txt
 *   (both are drawn with a width), plus the Hangul medial vowels and final
 *   consonants U+1160-U+11FF and U+D7B0-U+D7FF, which join the preceding
 *   jamo into one syllable (as in Markus Kuhn's wcwidth.c).
 *
 * double_width: East_Asian_Width W or F in EastAsianWidth.txt, the ranges
 *   that file says default to W when unassigned (U+3400-U+4DBF,
 *   U+4E00-U+9FFF, U+F900-U+FAFF, U+20000-U+2FFFD, U+30000-U+3FFFD), and
 *   Emoji_Presentation in emoji/emoji-data.txt.
 *
 * zero_width is searched first.
 */
static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x05bf, 0x05bf }, { 0x05c1, 0x05c2 }, { 0x05c4, 0x05c5 },
	{ 0x05c7, 0x05c7 }, { 0x0610, 0x061a }, { 0x061c, 0x061c },
	{ 0x064b, 0x065f }, { 0x0670, 0x0670 }, { 0x06d6, 0x06dc },
	{ 0x06df, 0x06e4 }, { 0x06e7, 0x06e8 }, { 0x06ea, 0x06ed },
	{ 0x0711, 0x0711 }, { 0x0730, 0x074a }, { 0x07a6, 0x07b0 },
	{ 0x07eb, 0x07f3 }, { 0x07fd, 0x07fd }, { 0x0816, 0x0819 },
	{ 0x081b, 0x0823 }, { 0x0825, 0x0827 }, { 0x0829, 0x082d },
	{ 0x0859, 0x085b }, { 0x0898, 0x089f }, { 0x08ca, 0x08e1 },
	{ 0x08e3, 0x0902 }, { 0x093a, 0x093a }, { 0x093c, 0x093c },
	{ 0x0941, 0x0948 }, { 0x094d, 0x094d }, { 0x0951, 0x0957 },
	{ 0x0962, 0x0963 }, { 0x0981, 0x0981 }, { 0x09bc, 0x09bc },
	{ 0x09c1, 0x09c4 }, { 0x09cd, 0x09cd }, { 0x09e2, 0x09e3 },
	{ 0x09fe, 0x09fe }, { 0x0a01, 0x0a02 }, { 0x0a3c, 0x0a3c },
	{ 0x0a41, 0x0a42 }, { 0x0a47, 0x0a48 }, { 0x0a4b, 0x0a4d },
	{ 0x0a51, 0x0a51 }, { 0x0a70, 0x0a71 }, { 0x0a75, 0x0a75 },
	{ 0x0a81, 0x0a82 }, { 0x0abc, 0x0abc }, { 0x0ac1, 0x0ac5 },
	{ 0x0ac7, 0x0ac8 }, { 0x0acd, 0x0acd }, { 0x0ae2, 0x0ae3 },
	{ 0x0afa, 0x0aff }, { 0x0b01, 0x0b01 }, { 0x0b3c, 0x0b3c },
	{ 0x0b3f, 0x0b3f }, { 0x0b41, 0x0b44 }, { 0x0b4d, 0x0b4d },
	{ 0x0b55, 0x0b56 }, { 0x0b62, 0x0b63 }, { 0x0b82, 0x0b82 },
	{ 0x0bc0, 0x0bc0 }, { 0x0bcd, 0x0bcd }, { 0x0c00, 0x0c00 },
	{ 0x0c04, 0x0c04 }, { 0x0c3c, 0x0c3c }, { 0x0c3e, 0x0c40 },
	{ 0x0c46, 0x0c48 }, { 0x0c4a, 0x0c4d }, { 0x0c55, 0x0c56 },
	{ 0x0c62, 0x0c63 }, { 0x0c81, 0x0c81 }, { 0x0cbc, 0x0cbc },
	{ 0x0cbf, 0x0cbf }, { 0x0cc6, 0x0cc6 }, { 0x0ccc, 0x0ccd },
	{ 0x0ce2, 0x0ce3 }, { 0x0d00, 0x0d01 }, { 0x0d3b, 0x0d3c },
	{ 0x0d41, 0x0d44 }, { 0x0d4d, 0x0d4d }, { 0x0d62, 0x0d63 },
	{ 0x0d81, 0x0d81 }, { 0x0dca, 0x0dca }, { 0x0dd2, 0x0dd4 },
	{ 0x0dd6, 0x0dd6 }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a },
	{ 0x0e47, 0x0e4e }, { 0x0eb1, 0x0eb1 }, { 0x0eb4, 0x0ebc },
	{ 0x0ec8, 0x0ece }, { 0x0f18, 0x0f19 }, { 0x0f35, 0x0f35 },
	{ 0x0f37, 0x0f37 }, { 0x0f39, 0x0f39 }, { 0x0f71, 0x0f7e },
	{ 0x0f80, 0x0f84 }, { 0x0f86, 0x0f87 }, { 0x0f8d, 0x0f97 },
	{ 0x0f99, 0x0fbc }, { 0x0fc6, 0x0fc6 }, { 0x102d, 0x1030 },
	{ 0x1032, 0x1037 }, { 0x1039, 0x103a }, { 0x103d, 0x103e },
	{ 0x1058, 0x1059 }, { 0x105e, 0x1060 }, { 0x1071, 0x1074 },
	{ 0x1082, 0x1082 }, { 0x1085, 0x1086 }, { 0x108d, 0x108d },
	{ 0x109d, 0x109d }, { 0x1160, 0x11ff }, { 0x135d, 0x135f },
	{ 0x1712, 0x1714 }, { 0x1732, 0x1733 }, { 0x1752, 0x1753 },
	{ 0x1772, 0x1773 }, { 0x17b4, 0x17b5 }, { 0x17b7, 0x17bd },
	{ 0x17c6, 0x17c6 }, { 0x17c9, 0x17d3 }, { 0x17dd, 0x17dd },
	{ 0x180b, 0x180f }, { 0x1885, 0x1886 }, { 0x18a9, 0x18a9 },
	{ 0x1920, 0x1922 }, { 0x1927, 0x1928 }, { 0x1932, 0x1932 },
	{ 0x1939, 0x193b }, { 0x1a17, 0x1a18 }, { 0x1a1b, 0x1a1b },
	{ 0x1a56, 0x1a56 }, { 0x1a58, 0x1a5e }, { 0x1a60, 0x1a60 },
	{ 0x1a62, 0x1a62 }, { 0x1a65, 0x1a6c }, { 0x1a73, 0x1a7c },
	{ 0x1a7f, 0x1a7f }, { 0x1ab0, 0x1ace }, { 0x1b00, 0x1b03 },
	{ 0x1b34, 0x1b34 }, { 0x1b36, 0x1b3a }, { 0x1b3c, 0x1b3c },
	{ 0x1b42, 0x1b42 }, { 0x1b6b, 0x1b73 }, { 0x1b80, 0x1b81 },
	{ 0x1ba2, 0x1ba5 }, { 0x1ba8, 0x1ba9 }, { 0x1bab, 0x1bad },
	{ 0x1be6, 0x1be6 }, { 0x1be8, 0x1be9 }, { 0x1bed, 0x1bed },
	{ 0x1bef, 0x1bf1 }, { 0x1c2c, 0x1c33 }, { 0x1c36, 0x1c37 },
	{ 0x1cd0, 0x1cd2 }, { 0x1cd4, 0x1ce0 }, { 0x1ce2, 0x1ce8 },
	{ 0x1ced, 0x1ced }, { 0x1cf4, 0x1cf4 }, { 0x1cf8, 0x1cf9 },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
	{ 0x2060, 0x2064 }, { 0x2066, 0x206f }, { 0x20d0, 0x20f0 },
	{ 0x2cef, 0x2cf1 }, { 0x2d7f, 0x2d7f }, { 0x2de0, 0x2dff },
	{ 0x302a, 0x302d }, { 0x3099, 0x309a }, { 0xa66f, 0xa672 },
	{ 0xa674, 0xa67d }, { 0xa69e, 0xa69f }, { 0xa6f0, 0xa6f1 },
	{ 0xa802, 0xa802 }, { 0xa806, 0xa806 }, { 0xa80b, 0xa80b },
	{ 0xa825, 0xa826 }, { 0xa82c, 0xa82c }, { 0xa8c4, 0xa8c5 },
	{ 0xa8e0, 0xa8f1 }, { 0xa8ff, 0xa8ff }, { 0xa926, 0xa92d },
	{ 0xa947, 0xa951 }, { 0xa980, 0xa982 }, { 0xa9b3, 0xa9b3 },
	{ 0xa9b6, 0xa9b9 }, { 0xa9bc, 0xa9bd }, { 0xa9e5, 0xa9e5 },
	{ 0xaa29, 0xaa2e }, { 0xaa31, 0xaa32 }, { 0xaa35, 0xaa36 },
	{ 0xaa43, 0xaa43 }, { 0xaa4c, 0xaa4c }, { 0xaa7c, 0xaa7c },
	{ 0xaab0, 0xaab0 }, { 0xaab2, 0xaab4 }, { 0xaab7, 0xaab8 },
	{ 0xaabe, 0xaabf }, { 0xaac1, 0xaac1 }, { 0xaaec, 0xaaed },
	{ 0xaaf6, 0xaaf6 }, { 0xabe5, 0xabe5 }, { 0xabe8, 0xabe8 },
	{ 0xabed, 0xabed }, { 0xd7b0, 0xd7ff }, { 0xfb1e, 0xfb1e },
	{ 0xfe00, 0xfe0f }, { 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
	{ 0xfff9, 0xfffb }, { 0x101fd, 0x101fd }, { 0x102e0, 0x102e0 },
	{ 0x10376, 0x1037a }, { 0x10a01, 0x10a03 }, { 0x10a05, 0x10a06 },
	{ 0x10a0c, 0x10a0f }, { 0x10a38, 0x10a3a }, { 0x10a3f, 0x10a3f },
	{ 0x10ae5, 0x10ae6 }, { 0x10d24, 0x10d27 }, { 0x10eab, 0x10eac },
	{ 0x10efd, 0x10eff }, { 0x10f46, 0x10f50 }, { 0x10f82, 0x10f85 },
	{ 0x11001, 0x11001 }, { 0x11038, 0x11046 }, { 0x11070, 0x11070 },
	{ 0x11073, 0x11074 }, { 0x1107f, 0x11081 }, { 0x110b3, 0x110b6 },
	{ 0x110b9, 0x110ba }, { 0x110c2, 0x110c2 }, { 0x11100, 0x11102 },
	{ 0x11127, 0x1112b }, { 0x1112d, 0x11134 }, { 0x11173, 0x11173 },
	{ 0x11180, 0x11181 }, { 0x111b6, 0x111be }, { 0x111c9, 0x111cc },
	{ 0x111cf, 0x111cf }, { 0x1122f, 0x11231 }, { 0x11234, 0x11234 },
	{ 0x11236, 0x11237 }, { 0x1123e, 0x1123e }, { 0x11241, 0x11241 },
	{ 0x112df, 0x112df }, { 0x112e3, 0x112ea }, { 0x11300, 0x11301 },
	{ 0x1133b, 0x1133c }, { 0x11340, 0x11340 }, { 0x11366, 0x1136c },
	{ 0x11370, 0x11374 }, { 0x11438, 0x1143f }, { 0x11442, 0x11444 },
	{ 0x11446, 0x11446 }, { 0x1145e, 0x1145e }, { 0x114b3, 0x114b8 },
	{ 0x114ba, 0x114ba }, { 0x114bf, 0x114c0 }, { 0x114c2, 0x114c3 },
	{ 0x115b2, 0x115b5 }, { 0x115bc, 0x115bd }, { 0x115bf, 0x115c0 },
	{ 0x115dc, 0x115dd }, { 0x11633, 0x1163a }, { 0x1163d, 0x1163d },
	{ 0x1163f, 0x11640 }, { 0x116ab, 0x116ab }, { 0x116ad, 0x116ad },
	{ 0x116b0, 0x116b5 }, { 0x116b7, 0x116b7 }, { 0x1171d, 0x1171f },
	{ 0x11722, 0x11725 }, { 0x11727, 0x1172b }, { 0x1182f, 0x11837 },
	{ 0x11839, 0x1183a }, { 0x1193b, 0x1193c }, { 0x1193e, 0x1193e },
	{ 0x11943, 0x11943 }, { 0x119d4, 0x119d7 }, { 0x119da, 0x119db },
	{ 0x119e0, 0x119e0 }, { 0x11a01, 0x11a0a }, { 0x11a33, 0x11a38 },
	{ 0x11a3b, 0x11a3e }, { 0x11a47, 0x11a47 }, { 0x11a51, 0x11a56 },
	{ 0x11a59, 0x11a5b }, { 0x11a8a, 0x11a96 }, { 0x11a98, 0x11a99 },
	{ 0x11c30, 0x11c36 }, { 0x11c38, 0x11c3d }, { 0x11c3f, 0x11c3f },
	{ 0x11c92, 0x11ca7 }, { 0x11caa, 0x11cb0 }, { 0x11cb2, 0x11cb3 },
	{ 0x11cb5, 0x11cb6 }, { 0x11d31, 0x11d36 }, { 0x11d3a, 0x11d3a },
	{ 0x11d3c, 0x11d3d }, { 0x11d3f, 0x11d45 }, { 0x11d47, 0x11d47 },
	{ 0x11d90, 0x11d91 }, { 0x11d95, 0x11d95 }, { 0x11d97, 0x11d97 },
	{ 0x11ef3, 0x11ef4 }, { 0x11f00, 0x11f01 }, { 0x11f36, 0x11f3a },
	{ 0x11f40, 0x11f40 }, { 0x11f42, 0x11f42 }, { 0x13430, 0x13440 },
	{ 0x13447, 0x13455 }, { 0x16af0, 0x16af4 }, { 0x16b30, 0x16b36 },
	{ 0x16f4f, 0x16f4f }, { 0x16f8f, 0x16f92 }, { 0x16fe4, 0x16fe4 },
	{ 0x1bc9d, 0x1bc9e }, { 0x1bca0, 0x1bca3 }, { 0x1cf00, 0x1cf2d },
	{ 0x1cf30, 0x1cf46 }, { 0x1d167, 0x1d169 }, { 0x1d173, 0x1d182 },
	{ 0x1d185, 0x1d18b }, { 0x1d1aa, 0x1d1ad }, { 0x1d242, 0x1d244 },
	{ 0x1da00, 0x1da36 }, { 0x1da3b, 0x1da6c }, { 0x1da75, 0x1da75 },
	{ 0x1da84, 0x1da84 }, { 0x1da9b, 0x1da9f }, { 0x1daa1, 0x1daaf },
	{ 0x1e000, 0x1e006 }, { 0x1e008, 0x1e018 }, { 0x1e01b, 0x1e021 },
	{ 0x1e023, 0x1e024 }, { 0x1e026, 0x1e02a }, { 0x1e08f, 0x1e08f },
	{ 0x1e130, 0x1e136 }, { 0x1e2ae, 0x1e2ae }, { 0x1e2ec, 0x1e2ef },
	{ 0x1e4ec, 0x1e4ef }, { 0x1e8d0, 0x1e8d6 }, { 0x1e944, 0x1e94a },
	{ 0xe0001, 0xe0001 }, { 0xe0020, 0xe007f }, { 0xe0100, 0xe01ef },
};

static const struct cp_range double_width[] = {
	{ 0x1100, 0x115f }, { 0x231a, 0x231b }, { 0x2329, 0x232a },
	{ 0x23e9, 0x23ec }, { 0x23f0, 0x23f0 }, { 0x23f3, 0x23f3 },
	{ 0x25fd, 0x25fe }, { 0x2614, 0x2615 }, { 0x2648, 0x2653 },
	{ 0x267f, 0x267f }, { 0x2693, 0x2693 }, { 0x26a1, 0x26a1 },
	{ 0x26aa, 0x26ab }, { 0x26bd, 0x26be }, { 0x26c4, 0x26c5 },
	{ 0x26ce, 0x26ce }, { 0x26d4, 0x26d4 }, { 0x26ea, 0x26ea },
	{ 0x26f2, 0x26f3 }, { 0x26f5, 0x26f5 }, { 0x26fa, 0x26fa },
	{ 0x26fd, 0x26fd }, { 0x2705, 0x2705 }, { 0x270a, 0x270b },
	{ 0x2728, 0x2728 }, { 0x274c, 0x274c }, { 0x274e, 0x274e },
	{ 0x2753, 0x2755 }, { 0x2757, 0x2757 }, { 0x2795, 0x2797 },
	{ 0x27b0, 0x27b0 }, { 0x27bf, 0x27bf }, { 0x2b1b, 0x2b1c },
	{ 0x2b50, 0x2b50 }, { 0x2b55, 0x2b55 }, { 0x2e80, 0x2e99 },
	{ 0x2e9b, 0x2ef3 }, { 0x2f00, 0x2fd5 }, { 0x2ff0, 0x2ffb },
	{ 0x3000, 0x303e }, { 0x3041, 0x3096 }, { 0x3099, 0x30ff },
	{ 0x3105, 0x312f }, { 0x3131, 0x318e }, { 0x3190, 0x31e3 },
	{ 0x31f0, 0x321e }, { 0x3220, 0x3247 }, { 0x3250, 0x4dbf },
	{ 0x4e00, 0xa48c }, { 0xa490, 0xa4c6 }, { 0xa960, 0xa97c },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe10, 0xfe19 },
	{ 0xfe30, 0xfe52 }, { 0xfe54, 0xfe66 }, { 0xfe68, 0xfe6b },
	{ 0xff01, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x16fe0, 0x16fe4 },
	{ 0x16ff0, 0x16ff1 }, { 0x17000, 0x187f7 }, { 0x18800, 0x18cd5 },
	{ 0x18d00, 0x18d08 }, { 0x1aff0, 0x1aff3 }, { 0x1aff5, 0x1affb },
	{ 0x1affd, 0x1affe }, { 0x1b000, 0x1b122 }, { 0x1b132, 0x1b132 },
	{ 0x1b150, 0x1b152 }, { 0x1b155, 0x1b155 }, { 0x1b164, 0x1b167 },
	{ 0x1b170, 0x1b2fb }, { 0x1f004, 0x1f004 }, { 0x1f0cf, 0x1f0cf },
	{ 0x1f18e, 0x1f18e }, { 0x1f191, 0x1f19a }, { 0x1f1e6, 0x1f202 },
	{ 0x1f210, 0x1f23b }, { 0x1f240, 0x1f248 }, { 0x1f250, 0x1f251 },
	{ 0x1f260, 0x1f265 }, { 0x1f300, 0x1f320 }, { 0x1f32d, 0x1f335 },
	{ 0x1f337, 0x1f37c }, { 0x1f37e, 0x1f393 }, { 0x1f3a0, 0x1f3ca },
	{ 0x1f3cf, 0x1f3d3 }, { 0x1f3e0, 0x1f3f0 }, { 0x1f3f4, 0x1f3f4 },
	{ 0x1f3f8, 0x1f43e }, { 0x1f440, 0x1f440 }, { 0x1f442, 0x1f4fc },
	{ 0x1f4ff, 0x1f53d }, { 0x1f54b, 0x1f54e }, { 0x1f550, 0x1f567 },
	{ 0x1f57a, 0x1f57a }, { 0x1f595, 0x1f596 }, { 0x1f5a4, 0x1f5a4 },
	{ 0x1f5fb, 0x1f64f }, { 0x1f680, 0x1f6c5 }, { 0x1f6cc, 0x1f6cc },
	{ 0x1f6d0, 0x1f6d2 }, { 0x1f6d5, 0x1f6d7 }, { 0x1f6dc, 0x1f6df },
	{ 0x1f6eb, 0x1f6ec }, { 0x1f6f4, 0x1f6fc }, { 0x1f7e0, 0x1f7eb },
	{ 0x1f7f0, 0x1f7f0 }, { 0x1f90c, 0x1f93a }, { 0x1f93c, 0x1f945 },
	{ 0x1f947, 0x1f9ff }, { 0x1fa70, 0x1fa7c }, { 0x1fa80, 0x1fa88 },
	{ 0x1fa90, 0x1fabd }, { 0x1fabf, 0x1fac5 }, { 0x1face, 0x1fadb },
	{ 0x1fae0, 0x1fae8 }, { 0x1faf0, 0x1faf8 }, { 0x20000, 0x2fffd },
	{ 0x30000, 0x3fffd },
};

static int
in_table(const struct cp_range *t, size_t n, uint32_t cp)
{
	size_t	lo = 0, hi = n, mid;

	if (cp < t[0].lo || cp > t[n - 1].hi)
		return 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (cp > t[mid].hi)
			lo = mid + 1;
		else if (cp < t[mid].lo)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

int
text_cp_width(uint32_t cp)
{
	if (cp < 0x20 || (cp >= C_DEL && cp < 0xa0))
		return 0;
	if (cp < 0x300)		/* nothing below is zero or double width */
		return 1;
	if (in_table(zero_width, sizeof zero_width / sizeof zero_width[0], cp))
		return 0;
	if (in_table(double_width,
	    sizeof double_width / sizeof double_width[0], cp))
		return 2;
	return 1;
}

int
utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned char		 lo = 0x80, hi = 0xbf;
	uint32_t		 c;
	size_t			 need, i;

	if (len == 0)
		return 0;
	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		c = p[0] & 0x0f;
		if (p[0] == 0xe0)
			lo = 0xa0;	/* overlong */
		else if (p[0] == 0xed)
			hi = 0x9f;	/* surrogate */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		c = p[0] & 0x07;
		if (p[0] == 0xf0)
			lo = 0x90;	/* overlong */
		else if (p[0] == 0xf4)
			hi = 0x8f;	/* above U+10FFFF */
	} else {
		*cp = CP_REPLACEMENT;
		return -1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= len || p[i] < lo || p[i] > hi) {
			*cp = CP_REPLACEMENT;
			return -(int)i;
		}
		c = (c << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*cp = c;
	return (int)need + 1;
}

size_t
text_width(const char *s, size_t len)
{
	size_t	used;

	text_fit(s, len, SIZE_MAX, &used);
	return used;
}

size_t
text_fit(const char *s, size_t len, size_t cols, size_t *used_cols)
{
	size_t		off = 0, used = 0, w;
	uint32_t	cp;
	int		n;

	while (off < len) {
		n = utf8_decode(s + off, len - off, &cp);
		w = (size_t)text_cp_width(cp);
		if (w > cols - used)
			break;
		used += w;
		off += (size_t)(n < 0 ? -n : n);
	}
	if (used_cols != NULL)
		*used_cols = used;
	return off;
}

/*
 * Characters shown in "<U+202E>" form although they are valid: bidi controls
 * (CVE-2021-42574, Trojan Source) and format or separator characters that
 * draw nothing and so can hide or fake text.  ZWJ and ZWNJ stay: emoji and
 * several scripts need them.
 */
static int
is_hidden(uint32_t cp)
{
	switch (cp) {
	case 0x00ad:	/* soft hyphen */
	case 0x061c:	/* Arabic letter mark */
	case 0x180e:	/* Mongolian vowel separator */
	case 0x200b:	/* zero width space */
	case 0x200e:	/* left-to-right mark */
	case 0x200f:	/* right-to-left mark */
	case 0x2028:	/* line separator */
	case 0x2029:	/* paragraph separator */
	case 0xfeff:	/* zero width no-break space, BOM */
		return 1;
	}
	/*
	 * Embeddings and overrides; word joiner, invisible operators,
	 * isolates and deprecated formats; interlinear annotation; tags
	 * (invisible ASCII).
	 */
	return (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2060 && cp <= 0x206f) ||
	    (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe007f);
}

/* The 8-bit forms of CSI, OSC, DCS, SOS, PM and APC. */
static int
is_c1_introducer(uint32_t cp)
{
	return cp == 0x9b || cp == 0x9d || cp == 0x90 || cp == 0x98 ||
	    cp == 0x9e || cp == 0x9f;
}

static void
put_ascii(struct sanitizer *s, struct buf *out, const char *p, size_t n)
{
	buf_append(out, p, n);
	s->col += n;
}

/* "<U+0085>": at least four upper-case hex digits. */
static void
put_codepoint(struct sanitizer *s, struct buf *out, uint32_t cp)
{
	static const char	 hex[] = "0123456789ABCDEF";
	char			 tmp[16];
	size_t			 n = sizeof tmp;
	int			 digits = 0;

	tmp[--n] = '>';
	do {
		tmp[--n] = hex[cp & 0xf];
		cp >>= 4;
		digits++;
	} while (cp != 0 || digits < 4);
	tmp[--n] = '+';
	tmp[--n] = 'U';
	tmp[--n] = '<';
	put_ascii(s, out, tmp + n, sizeof tmp - n);
}

static void
flush_cr(struct sanitizer *s, struct buf *out)
{
	if (s->cr_pending) {
		s->cr_pending = 0;
		put_ascii(s, out, "^M", 2);
	}
}

/*
 * Outputs one code point as text, never as a control: raw[0..n) is its
 * well-formed UTF-8, used only when the code point is printable.
 */
static void
put_char(struct sanitizer *s, struct buf *out, uint32_t cp,
    const char *raw, size_t n)
{
	char	caret[2];
	size_t	spaces;

	if (s->cr_pending) {
		s->cr_pending = 0;
		if (cp == '\n') {
			buf_putc(out, '\n');
			s->col = 0;
			return;
		}
		put_ascii(s, out, "^M", 2);
	}
	if (cp == '\n' && (s->flags & SAN_NEWLINES)) {
		buf_putc(out, '\n');
		s->col = 0;
		return;
	}
	if (cp == '\r' && (s->flags & SAN_NEWLINES)) {
		s->cr_pending = 1;
		return;
	}
	if (cp == '\t' && (s->flags & SAN_TABS)) {
		spaces = 8 - s->col % 8;
		put_ascii(s, out, "        ", spaces);
		return;
	}
	if (cp < 0x20 || cp == C_DEL) {
		caret[0] = '^';
		caret[1] = (char)(cp == C_DEL ? '?' : cp + 0x40);
		put_ascii(s, out, caret, 2);
		return;
	}
	if ((cp >= 0x80 && cp <= 0x9f) || is_hidden(cp)) {
		put_codepoint(s, out, cp);
		return;
	}
	buf_append(out, raw, n);
	s->col += (size_t)text_cp_width(cp);
}

static void
begin_sequence(struct sanitizer *s, uint32_t intro, int state)
{
	s->intro = intro;
	s->state = state;
	s->seq_len = 0;
}

static void
end_sequence(struct sanitizer *s)
{
	s->state = ST_GROUND;
	s->seq_len = 0;
}

/*
 * A sequence ran past its cap: show its introducer, output what it had
 * swallowed as ordinary text and go back to ground.  The swallowed bytes are
 * well-formed UTF-8 holding no introducer or terminator (those would have
 * ended the sequence), so this cannot start another sequence.
 */
static void
give_up_sequence(struct sanitizer *s, struct buf *out)
{
	size_t		off, k;
	uint32_t	cp;
	int		n;

	s->state = ST_GROUND;
	put_char(s, out, s->intro, "", 0);
	for (off = 0; off < s->seq_len; off += k) {
		n = utf8_decode(s->seq + off, s->seq_len - off, &cp);
		if (n > 0) {
			k = (size_t)n;
			put_char(s, out, cp, s->seq + off, k);
		} else {
			k = (size_t)-n;
			put_char(s, out, CP_REPLACEMENT, SAN_REPLACEMENT, 3);
		}
	}
	s->seq_len = 0;
}

/*
 * Adds a code point to the current sequence.  Returns 0 when that would pass
 * max: the sequence has then been given up and the caller must handle the
 * code point again, in ground state.
 */
static int
swallow(struct sanitizer *s, struct buf *out, const char *raw, size_t n,
    size_t max)
{
	size_t	intro_len = s->intro == C_ESC ? 1 : 2;

	if (intro_len + s->seq_len + n > max) {
		give_up_sequence(s, out);
		return 0;
	}
	memcpy(s->seq + s->seq_len, raw, n);
	s->seq_len += n;
	return 1;
}

/* The escape-sequence parser: one code point with its UTF-8 raw[0..n). */
static void
dispatch(struct sanitizer *s, struct buf *out, uint32_t cp, const char *raw,
    size_t n)
{
	for (;;) {
		switch (s->state) {
		case ST_GROUND:
			if ((cp == C_ESC || is_c1_introducer(cp)) &&
			    !(s->flags & SAN_SHOW_ESCAPES)) {
				flush_cr(s, out);
				begin_sequence(s, cp, cp == C_ESC ? ST_ESC :
				    cp == 0x9b ? ST_CSI : ST_STRING);
				return;
			}
			put_char(s, out, cp, raw, n);
			return;
		case ST_ESC:
			if (cp == '[')
				s->state = ST_CSI;
			else if (cp == ']' || cp == 'P' || cp == 'X' ||
			    cp == '^' || cp == '_')
				s->state = ST_STRING;
			else if (cp >= 0x20 && cp <= 0x2f)
				s->state = ST_ESC_INTER;
			else if (cp >= 0x30 && cp <= 0x7e) {
				end_sequence(s);	/* ESC 7, ESC c, ... */
				return;
			} else {
				/* Not a sequence: show the ESC. */
				end_sequence(s);
				put_char(s, out, C_ESC, "", 0);
				continue;
			}
			s->seq[0] = (char)cp;	/* fits under any cap */
			s->seq_len = 1;
			return;
		case ST_ESC_INTER:
			if (cp >= 0x20 && cp <= 0x2f) {
				if (swallow(s, out, raw, n, SAN_CONTROL_MAX))
					return;
				continue;
			}
			end_sequence(s);
			if (cp >= 0x30 && cp <= 0x7e)
				return;		/* final byte */
			continue;		/* malformed: dropped */
		case ST_CSI:
			if (cp >= 0x20 && cp <= 0x3f) {
				if (swallow(s, out, raw, n, SAN_CONTROL_MAX))
					return;
				continue;
			}
			end_sequence(s);
			if (cp >= 0x40 && cp <= 0x7e)
				return;		/* final byte */
			continue;		/* malformed: dropped */
		case ST_STRING:
			if (cp == C_BEL || cp == C1_ST) {
				end_sequence(s);
				return;
			}
			if (cp == C_ESC) {
				s->state = ST_STRING_ESC;
				return;
			}
			if (cp == C_CAN || cp == C_SUB ||
			    (cp >= 0x80 && cp <= 0x9f)) {
				end_sequence(s);	/* cancelled */
				continue;
			}
			if (swallow(s, out, raw, n, SAN_STRING_MAX))
				return;
			continue;
		case ST_STRING_ESC:
			if (cp == '\\') {
				end_sequence(s);	/* ST */
				return;
			}
			/* The string is cancelled; this ESC starts anew. */
			begin_sequence(s, C_ESC, ST_ESC);
			continue;
		}
	}
}

static void
decoder_reset(struct sanitizer *s)
{
	s->u_need = 0;
	s->u_len = 0;
	s->u_lo = 0x80;
	s->u_hi = 0xbf;
	s->u_cp = 0;
}

/* The byte-at-a-time twin of utf8_decode(). */
static void
feed_byte(struct sanitizer *s, struct buf *out, unsigned char b)
{
	char		raw[4];
	size_t		n;
	uint32_t	cp;

	for (;;) {
		if (s->u_need == 0) {
			if (b < 0x80) {
				raw[0] = (char)b;
				dispatch(s, out, b, raw, 1);
				return;
			}
			if (b >= 0xc2 && b <= 0xdf) {
				s->u_need = 1;
				s->u_cp = b & 0x1f;
			} else if (b >= 0xe0 && b <= 0xef) {
				s->u_need = 2;
				s->u_cp = b & 0x0f;
				if (b == 0xe0)
					s->u_lo = 0xa0;
				else if (b == 0xed)
					s->u_hi = 0x9f;
			} else if (b >= 0xf0 && b <= 0xf4) {
				s->u_need = 3;
				s->u_cp = b & 0x07;
				if (b == 0xf0)
					s->u_lo = 0x90;
				else if (b == 0xf4)
					s->u_hi = 0x8f;
			} else {
				dispatch(s, out, CP_REPLACEMENT,
				    SAN_REPLACEMENT, 3);
				return;
			}
			s->u_raw[0] = b;
			s->u_len = 1;
			return;
		}
		if (b < s->u_lo || b > s->u_hi) {
			/* The partial character is a maximal subpart. */
			decoder_reset(s);
			dispatch(s, out, CP_REPLACEMENT, SAN_REPLACEMENT, 3);
			continue;	/* b starts afresh */
		}
		s->u_lo = 0x80;
		s->u_hi = 0xbf;
		s->u_cp = (s->u_cp << 6) | (b & 0x3f);
		s->u_raw[s->u_len++] = b;
		if (--s->u_need == 0) {
			cp = s->u_cp;
			n = s->u_len;
			memcpy(raw, s->u_raw, n);
			decoder_reset(s);
			dispatch(s, out, cp, raw, n);
		}
		return;
	}
}

void
sanitize_init(struct sanitizer *s, int flags)
{
	s->flags = flags;
	s->state = ST_GROUND;
	s->cr_pending = 0;
	s->intro = 0;
	s->col = 0;
	s->seq_len = 0;
	decoder_reset(s);
}

void
sanitize_feed(struct sanitizer *s, struct buf *out, const char *in,
    size_t len)
{
	const unsigned char	*p, *end, *run;

	if (len == 0)
		return;
	p = (const unsigned char *)in;
	end = p + len;
	while (p < end) {
		/* Fast path: a run of printable ASCII in ground state. */
		if (s->state == ST_GROUND && s->u_need == 0 && !s->cr_pending) {
			for (run = p; run < end && *run >= 0x20 &&
			    *run < C_DEL; run++)
				;
			if (run > p) {
				put_ascii(s, out, (const char *)p,
				    (size_t)(run - p));
				p = run;
				continue;
			}
		}
		feed_byte(s, out, *p++);
	}
}

void
sanitize_finish(struct sanitizer *s, struct buf *out)
{
	if (s->u_need != 0) {
		decoder_reset(s);
		dispatch(s, out, CP_REPLACEMENT, SAN_REPLACEMENT, 3);
	}
	if (s->state != ST_GROUND)
		end_sequence(s);	/* unterminated: dropped */
	flush_cr(s, out);
	sanitize_init(s, s->flags);
}

void
sanitize_append(struct buf *out, const char *in, size_t len, int flags)
{
	struct sanitizer	s;

	sanitize_init(&s, flags);
	sanitize_feed(&s, out, in, len);
	sanitize_finish(&s, out);
}

char *
sanitize_dup(const char *str, int flags)
{
	struct buf	b = BUF_INIT;

	if (str != NULL)
		sanitize_append(&b, str, strlen(str), flags);
	return buf_detach(&b);
}
