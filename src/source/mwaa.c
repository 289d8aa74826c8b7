/* mwaa.c: Airflow calls wrapped for MWAA's InvokeRestApi (mwaa.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "mwaa.h"

/* %XX and '+' decoded: the query string as Airflow would read it. */
static char *
unescape(const char *s, size_t n)
{
	char	*out = xmalloc(n + 1), *o = out;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };

			*o++ = (char)strtol(hex, NULL, 16);
			i += 2;
		} else
			*o++ = s[i] == '+' ? ' ' : s[i];
	}
	*o = '\0';
	return out;
}

/* QueryParameters: {"key": "value"}, a repeated key's values an array. */
static json_t *
query_object(const char *q)
{
	json_t	*obj = json_object();

	while (q != NULL && *q != '\0') {
		size_t	 n = strcspn(q, "&"), k = strcspn(q, "=");
		char	*key, *val;
		json_t	*old, *v;

		if (k > n)
			k = n;
		key = unescape(q, k);
		val = unescape(q + k + (k < n), n - k - (k < n));
		v = json_string(val);
		if (v == NULL)
			v = json_null();
		old = json_object_get(obj, key);
		if (json_is_array(old))
			json_array_append_new(old, v);
		else if (old != NULL)
			json_object_set_new(obj, key, json_pack("[O, o]", old, v));
		else
			json_object_set_new(obj, key, v);
		free(key);
		free(val);
		q += n + (q[n] == '&');
	}
	return obj;
}

char *
mwaa_wrap(const char *method, const char *path, const char *body)
{
	const char	*qm = strchr(path, '?');
	json_t		*doc, *inner = NULL;
	char		*p, *out;

	if (body != NULL && (inner = json_loads(body, 0, NULL)) == NULL)
		return NULL;
	p = qm != NULL ? xstrndup(path, (size_t)(qm - path)) : xstrdup(path);
	doc = json_pack("{s:s, s:s}", "Path", p, "Method", method);
	if (qm != NULL && qm[1] != '\0')
		json_object_set_new(doc, "QueryParameters",
		    query_object(qm + 1));
	if (inner != NULL)
		json_object_set_new(doc, "Body", inner);
	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	free(p);
	return out;
}

bool
mwaa_unwrap(const char *body, size_t len, long *status, struct buf *out)
{
	json_t	*doc = json_loadb(body != NULL ? body : "", len, 0, NULL);
	json_t	*code = json_object_get(doc, "RestApiStatusCode");
	json_t	*resp = json_object_get(doc, "RestApiResponse");
	char	*s;

	if (!json_is_integer(code)) {
		json_decref(doc);
		return false;
	}
	*status = (long)json_integer_value(code);
	buf_reset(out);
	if (json_is_string(resp))
		buf_append(out, json_string_value(resp),
		    json_string_length(resp));
	else if (resp != NULL &&
	    (s = json_dumps(resp, JSON_COMPACT | JSON_ENCODE_ANY)) != NULL) {
		buf_puts(out, s);
		free(s);
	}
	json_decref(doc);
	return true;
}

int
mwaa_credentials(struct buf *keys, struct buf *token_hdr, struct buf *err)
{
	const char *id = getenv("AWS_ACCESS_KEY_ID");
	const char *secret = getenv("AWS_SECRET_ACCESS_KEY");
	const char *token = getenv("AWS_SESSION_TOKEN");

	if (id == NULL || *id == '\0' || secret == NULL || *secret == '\0') {
		buf_puts(err, "airflow_auth = aws-sigv4 needs AWS_ACCESS_KEY_ID "
		    "and AWS_SECRET_ACCESS_KEY in the environment");
		return -1;
	}
	buf_printf(keys, "%s:%s", id, secret);
	if (token != NULL && *token != '\0')
		buf_printf(token_hdr, "X-Amz-Security-Token: %s", token);
	return 0;
}
