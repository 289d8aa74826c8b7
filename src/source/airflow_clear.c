/* airflow_clear.c: see airflow_clear.h. */
#include <stdlib.h>
#include <string.h>

#include "airflow_api.h"
#include "airflow_clear.h"
#include "http.h"

struct clear_call {
	clear_done_cb	 cb;
	void		*arg;
};

static void
clear_answer(struct api_call *call, const struct http_response *resp,
    void *arg)
{
	struct clear_call	*c = arg;
	struct clear_result	 r;
	struct buf		 msg = BUF_INIT;
	enum clear_transport	 net;

	if (!airflow_api_sent(call) || resp->error == HTTP_ERR_CONNECT ||
	    resp->error == HTTP_ERR_TLS)
		net = CLEAR_NET_UNSENT;
	else if (resp->error != HTTP_OK)
		net = CLEAR_NET_LOST;
	else
		net = CLEAR_NET_OK;
	if (resp->error != HTTP_OK || resp->status / 100 != 2) {
		airflow_api_error(resp, &msg);
		switch (resp->status) {
		case 403:
			buf_puts(&msg, " (your Airflow role may not clear "
			    "tasks)");
			break;
		case 404:
			buf_puts(&msg, " (the API server does not know this "
			    "DAG or run)");
			break;
		case 409:
			buf_puts(&msg, " (a conflicting change is under way)");
			break;
		case 422:
		case 400:
			buf_puts(&msg, " (the API refused the request)");
			break;
		default:
			break;
		}
		c->cb(c->arg, NULL, buf_str(&msg), clear_outcome_of(net,
		    resp->status, false) == CLEAR_UNKNOWN);
	} else if (clear_parse(resp->body.data != NULL ? resp->body.data : "",
	    resp->body.len, &r, &msg) != 0) {
		struct buf m2 = BUF_INIT;

		buf_printf(&m2, "HTTP %ld, but %s", resp->status, buf_str(&msg));
		c->cb(c->arg, NULL, buf_str(&m2), true);
		buf_free(&m2);
	} else {
		c->cb(c->arg, &r, NULL, false);
		clear_result_free(&r);
	}
	buf_free(&msg);
	free(c);
}

struct api_call *
airflow_clear(struct airflow_api *api, const char *dag_id,
    const struct clear_request *q, clear_done_cb cb, void *arg,
    struct buf *err)
{
	struct buf		 path = BUF_INIT;
	struct clear_call	*c;
	struct api_call		*call;
	char			*body;

	body = clear_body(q, airflow_api_major(api));
	buf_puts(&path, "/dags/");
	http_escape(&path, dag_id);
	buf_puts(&path, "/clearTaskInstances");
	c = xcalloc(1, sizeof *c);
	c->cb = cb;
	c->arg = arg;
	call = airflow_api_post(api, buf_str(&path), body, clear_answer, c, err);
	if (call == NULL && err->len > 0)
		free(c);	/* refused: the callback will not come */
	free(body);
	buf_free(&path);
	return call;
}

void
airflow_clear_cancel(struct api_call *call)
{
	if (call == NULL)
		return;
	free(airflow_api_call_arg(call));
	airflow_api_cancel(call);
}
