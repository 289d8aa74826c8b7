/*
 * test_jwt.c: base64url (RFC 4648 test vectors, no padding, round trips,
 * refusals) and the signing input of a service-account JWT
 * (src/model/jwt.c): header and claims as Google's OAuth profile wants.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "jwt.h"

static void
check_encode(const char *in, const char *want)
{
	struct buf b = BUF_INIT;

	b64url_encode(&b, in, strlen(in));
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_b64url_vectors(void **state)
{
	(void)state;
	/* RFC 4648 section 10, padding left off. */
	check_encode("", "");
	check_encode("f", "Zg");
	check_encode("fo", "Zm8");
	check_encode("foo", "Zm9v");
	check_encode("foob", "Zm9vYg");
	check_encode("fooba", "Zm9vYmE");
	check_encode("foobar", "Zm9vYmFy");
}

static void
test_b64url_alphabet(void **state)
{
	static const unsigned char bytes[] = { 0xfb, 0xff, 0xbf, 0x3e };
	struct buf b = BUF_INIT;

	(void)state;
	/* 62 and 63 are '-' and '_', never '+' and '/'. */
	b64url_encode(&b, bytes, sizeof bytes);
	assert_string_equal(buf_str(&b), "-_-_Pg");
	buf_free(&b);
}

static void
test_b64url_round_trip(void **state)
{
	unsigned char	in[256];
	struct buf	enc = BUF_INIT, dec = BUF_INIT;
	size_t		n, i;

	(void)state;
	for (i = 0; i < sizeof in; i++)
		in[i] = (unsigned char)(i * 37 + 11);
	for (n = 0; n <= sizeof in; n++) {
		buf_reset(&enc);
		buf_reset(&dec);
		b64url_encode(&enc, in, n);
		assert_null(strchr(buf_str(&enc), '='));
		assert_int_equal(b64url_decode(&dec, enc.data, enc.len), 0);
		assert_int_equal(dec.len, n);
		if (n > 0)
			assert_memory_equal(dec.data, in, n);
	}
	buf_free(&enc);
	buf_free(&dec);
}

static void
test_b64url_decode_refuses(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	assert_int_equal(b64url_decode(&b, "Zm9v!", 5), -1);
	assert_int_equal(b64url_decode(&b, "Z", 1), -1);	/* 6 bits only */
	assert_int_equal(b64url_decode(&b, "Zh", 2), -1);	/* stray bits */
	buf_reset(&b);
	/* Padding and the standard alphabet are tolerated on input. */
	assert_int_equal(b64url_decode(&b, "Zm8=", 4), 0);
	assert_string_equal(buf_str(&b), "fo");
	buf_reset(&b);
	assert_int_equal(b64url_decode(&b, "+/+/Pg", 6), 0);
	assert_int_equal(b.len, 4);
	buf_free(&b);
}

/* Decodes part i of a dotted JWT as JSON. */
static json_t *
part(const char *jwt, int i)
{
	const char	*p = jwt, *end;
	struct buf	 b = BUF_INIT;
	json_t		*o;

	while (i-- > 0)
		p = strchr(p, '.') + 1;
	end = strchr(p, '.');
	if (end == NULL)
		end = p + strlen(p);
	assert_int_equal(b64url_decode(&b, p, (size_t)(end - p)), 0);
	o = json_loadb(b.data, b.len, 0, NULL);
	assert_non_null(o);
	buf_free(&b);
	return o;
}

static void
test_jwt_signing_input(void **state)
{
	struct jwt_claims	c;
	struct buf		b = BUF_INIT;
	json_t			*h, *cl;
	const char		*p;

	(void)state;
	memset(&c, 0, sizeof c);
	c.iss = "sa@proj.iam.gserviceaccount.com";
	c.scope = "https://www.googleapis.com/auth/bigquery.readonly";
	c.aud = "https://oauth2.googleapis.com/token";
	c.kid = "abc123";
	c.iat = 1763800000;
	c.lifetime = 3600;
	jwt_signing_input(&b, &c);
	/* Two parts, unpadded, URL-safe. */
	p = buf_str(&b);
	assert_non_null(strchr(p, '.'));
	assert_null(strchr(strchr(p, '.') + 1, '.'));
	assert_null(strpbrk(p, "=+/"));
	/* The header is exactly what Google's libraries send. */
	assert_true(strncmp(p, "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIs", 36) == 0);
	h = part(p, 0);
	assert_string_equal(json_string_value(json_object_get(h, "alg")), "RS256");
	assert_string_equal(json_string_value(json_object_get(h, "typ")), "JWT");
	assert_string_equal(json_string_value(json_object_get(h, "kid")), "abc123");
	cl = part(p, 1);
	assert_string_equal(json_string_value(json_object_get(cl, "iss")), c.iss);
	assert_string_equal(json_string_value(json_object_get(cl, "scope")),
	    c.scope);
	assert_string_equal(json_string_value(json_object_get(cl, "aud")), c.aud);
	assert_int_equal(json_integer_value(json_object_get(cl, "iat")),
	    1763800000);
	assert_int_equal(json_integer_value(json_object_get(cl, "exp")),
	    1763803600);
	assert_null(json_object_get(cl, "sub"));
	json_decref(h);
	json_decref(cl);

	/* The signature goes on as a third part. */
	jwt_finish(&b, (const unsigned char *)"\xff\xfe", 2);
	assert_non_null(strstr(buf_str(&b), ".__4"));
	buf_free(&b);
}

static void
test_jwt_lifetime_and_sub(void **state)
{
	struct jwt_claims	c;
	struct buf		b = BUF_INIT;
	json_t			*h, *cl;

	(void)state;
	memset(&c, 0, sizeof c);
	c.iss = "a@b";
	c.aud = "http://127.0.0.1:1/token";
	c.sub = "user@example.com";
	c.iat = 100;
	c.lifetime = 7200;	/* more than Google allows: capped at 1 h */
	jwt_signing_input(&b, &c);
	h = part(buf_str(&b), 0);
	assert_null(json_object_get(h, "kid"));
	cl = part(buf_str(&b), 1);
	assert_int_equal(json_integer_value(json_object_get(cl, "exp")), 3700);
	assert_string_equal(json_string_value(json_object_get(cl, "sub")),
	    "user@example.com");
	assert_string_equal(json_string_value(json_object_get(cl, "scope")), "");
	json_decref(h);
	json_decref(cl);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64url_vectors),
		cmocka_unit_test(test_b64url_alphabet),
		cmocka_unit_test(test_b64url_round_trip),
		cmocka_unit_test(test_b64url_decode_refuses),
		cmocka_unit_test(test_jwt_signing_input),
		cmocka_unit_test(test_jwt_lifetime_and_sub),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
