/*
 * server: the webhook listener of server.h on libmicrohttpd.
 *
 * Threading: opt->threads (default 2) MHD daemons, each polling with epoll
 * on its own internal thread, bound to the same address with SO_REUSEPORT,
 * so the kernel spreads connections evenly over them (one daemon with a
 * thread pool lets whichever thread wakes first accept, up to ten at a time:
 * a burst of connections often all went to one thread, the other idle).
 * Since SO_REUSEPORT would also let another server join the port silently,
 * the port is first bound by a plain socket (for port 0, a free one is found
 * so), so "in use" stays an error. The handler runs on those threads. Each thread multiplexes many
 * connections, so idle or slow clients cost a socket and a small memory
 * pool (CONN_MEMORY), never a thread.
 *
 * A request goes through three phases on its connection:
 *   HEAD  from connecting (or the previous response) until the head is parsed;
 *         deadline SERVER_HEAD_TIMEOUT_S. MHD itself answers a head too big
 *         for the connection's memory (431) and malformed heads (400).
 *   BODY  first call of the access handler: method (405), Content-Length
 *         (413, before reading), Content-Type (415) are checked, then the body
 *         is collected, counting as it streams; past the limit the rest is
 *         read and thrown away (never kept) and answered 413 when it ends,
 *         since MHD 0.9 cannot answer in the middle of a body; a body that
 *         goes on DISCARD_MAX past the limit is cut off. Deadline
 *         SERVER_BODY_TIMEOUT_S.
 *   DONE  the body is complete: UTF-8 and JSON are checked (400) and the
 *         handler answers, or defers: the connection is suspended (MHD
 *         stops polling it, no thread waits) until server_resume hands over
 *         the answer and resumes it; MHD then calls the access handler
 *         again, which sends it. So a few threads serve every connection
 *         while the store commits requests in batches.
 *
 * Under opt->api_prefix (the management API) only the size limit and the
 * deadlines apply: method, Content-Type and body are the handler's to judge,
 * so that it can answer (and record) every call itself.
 *
 * Invariants:
 *   - a conn lives from MHD's NOTIFY_STARTED to NOTIFY_CLOSED and owns the
 *     request state (query, body); MHD gives it back as *con_cls through the
 *     URI-log callback, so nothing is allocated per request outside it;
 *   - the watchdog enforces the deadlines MHD's inactivity timeout cannot (a
 *     client sending one byte a second is never idle): it shuts a late
 *     socket down (MHD then sees the end of the stream and closes it). It
 *     only touches sockets of conns in s->conns, under s->lock, and a conn
 *     leaves that list under the same lock in NOTIFY_CLOSED, before MHD
 *     closes the socket, so a reused descriptor is never shut down;
 *   - the body buffer never exceeds SERVER_MAX_BODY + 1 bytes;
 *   - a response queued in the first call (405, 413, 415) is an early one:
 *     MHD skips the body and closes the connection after answering;
 *   - s->deferred counts suspended connections not yet resumed; a conn stays
 *     allocated while suspended (MHD neither polls nor closes it), and
 *     server_resume touches it only before MHD_resume_connection. Once
 *     s->closing is set nothing more is deferred, and server_stop waits for
 *     s->deferred to reach 0 before stopping MHD (which refuses to stop with
 *     suspended connections).
 */
#include "webhook/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "webhook/jsoncheck.h"
#include "util/ascii.h"
#include "util/clock.h"
#include "util/xalloc.h"

#define DEFAULT_THREADS 2
#define MAX_DAEMONS 16
#define CONN_LIMIT 10000           /* in all, shared out between the daemons */
#define CONN_MEMORY (32 * 1024)
#define LISTEN_BACKLOG 1024
#define WATCH_INTERVAL_MS 250
#define DISCARD_MAX (4u * 1024 * 1024)

enum { PHASE_HEAD, PHASE_BODY, PHASE_DONE };

/* A deferred request is named by its connection. */
typedef struct server_deferred conn;

struct server_deferred {
    conn *prev, *next;         /* in server.conns */
    struct server *s;
    struct MHD_Connection *mc;
    int fd;
    int phase;
    int64_t deadline_ms;       /* 0: none */
    int refused;               /* an early response is queued */
    int too_big;               /* the streamed body passed the limit: discarding */
    int api;                   /* the request is under the API prefix */
    size_t discarded;
    char *query;               /* raw query of the current request */
    char *body;
    size_t len, cap;
    int deferred;              /* suspended, or resumed and not yet answered */
    int reply_status;          /* set by server_resume, under s->lock */
    json_t *reply;
    int has_reply;
};

struct server {
    struct MHD_Daemon *mhd[MAX_DAEMONS];
    int n_mhd;
    server_handler handler;
    void *ctx;
    char *api_prefix;          /* NULL: every path is a webhook (POST only) */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    conn *conns;
    int deferred;              /* connections suspended by server_defer, not yet resumed */
    int closing;               /* server_stop began: no more deferring */
    pthread_cond_t drained;    /* deferred reached 0 */
    int stopping;
    pthread_t watchdog;
    int port;
};

/* --- content types and validation ------------------------------------------------ */

int server_body_type(const char *ct)
{
    if (!ct)
        return SERVER_BODY_OTHER;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    size_t n = strcspn(ct, "; \t");
    if (n == 16 && strncasecmp(ct, "application/json", 16) == 0)
        return SERVER_BODY_JSON;
    if (n == 33 && strncasecmp(ct, "application/x-www-form-urlencoded", 33) == 0)
        return SERVER_BODY_FORM;
    if (n > 17 && strncasecmp(ct, "application/", 12) == 0 && strncasecmp(ct + n - 5, "+json", 5) == 0 &&
        memchr(ct + 12, '/', n - 12) == NULL)
        return SERVER_BODY_JSON;
    return SERVER_BODY_OTHER;
}

/* Length of the UTF-8 sequence at p (1..4), or 0 when it is not valid UTF-8
 * (overlong forms, surrogates and code points past U+10FFFF included). */
static size_t utf8_seq(const unsigned char *p, size_t left)
{
    unsigned c = p[0];
    if (c < 0x80)
        return 1;
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || n > left)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    if (n == 3 && ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0)))
        return 0;
    if (n == 4 && ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90)))
        return 0;
    return n;
}

static int utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        i += ascii_span(p + i, len - i);
        if (i >= len)
            break;
        size_t n = utf8_seq(p + i, len - i);
        if (n == 0)
            return 0;
        i += n;
    }
    return 1;
}

/* A header value as a JSON string: kept when valid UTF-8, else read as
 * Latin-1 (each byte one character), as Node.js reads header bytes. */
static json_t *header_string(const char *v)
{
    size_t len = strlen(v);
    if (utf8_valid(v, len))
        return json_stringn(v, len);
    char *out = malloc(len * 2 + 1);
    if (!out)
        abort();
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)v; *p; p++) {
        if (*p < 0x80) {
            out[o++] = (char)*p;
        } else {
            out[o++] = (char)(0xC0 | (*p >> 6));
            out[o++] = (char)(0x80 | (*p & 0x3F));
        }
    }
    json_t *s = json_stringn(out, o);
    free(out);
    return s;
}

/* --- answering ----------------------------------------------------------------------- */

static enum MHD_Result send_json(struct MHD_Connection *mc, int status, json_t *doc, int close)
{
    char *text = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
    json_decref(doc);
    if (!text) {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        text = xstrdup("{\"error\":\"internal error\"}");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r) {
        free(text);
        return MHD_NO;
    }
    enum MHD_Result ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    if (ok == MHD_YES && status == MHD_HTTP_METHOD_NOT_ALLOWED)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "POST");
    if (ok == MHD_YES && status == MHD_HTTP_UNAUTHORIZED)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"srcfn\"");
    if (ok == MHD_YES && close)
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close");
    if (ok == MHD_YES)
        ok = MHD_queue_response(mc, (unsigned)status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result send_error(struct MHD_Connection *mc, int status, const char *message, int close)
{
    return send_json(mc, status, json_pack("{s:s}", "error", message), close);
}

/* Answers now, before the body is read (first call only: MHD accepts a
 * response then or once the body is complete); MHD skips the body and closes. */
static enum MHD_Result refuse(conn *c, struct MHD_Connection *mc, int status, const char *message)
{
    c->refused = 1;
    return send_error(mc, status, message, 1);
}

/* --- connections ----------------------------------------------------------------------- */

static void set_phase(conn *c, int phase, int timeout_s)
{
    pthread_mutex_lock(&c->s->lock);
    c->phase = phase;
    c->deadline_ms = timeout_s > 0 ? mono_ms() + (int64_t)timeout_s * 1000 : 0;
    pthread_mutex_unlock(&c->s->lock);
}

static void conn_reset(conn *c)
{
    free(c->query);
    free(c->body);
    json_decref(c->reply);
    c->query = NULL;
    c->body = NULL;
    c->reply = NULL;
    c->has_reply = 0;
    c->deferred = 0;
    c->len = c->cap = 0;
    c->refused = 0;
    c->too_big = 0;
    c->api = 0;
    c->discarded = 0;
}

static void on_connection(void *cls, struct MHD_Connection *mc, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    server *s = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn *c = calloc(1, sizeof *c);
        if (!c)
            abort();
        const union MHD_ConnectionInfo *info = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CONNECTION_FD);
        c->s = s;
        c->fd = info ? info->connect_fd : -1;
        c->phase = PHASE_HEAD;
        c->deadline_ms = mono_ms() + SERVER_HEAD_TIMEOUT_S * 1000;
        pthread_mutex_lock(&s->lock);
        c->next = s->conns;
        if (s->conns)
            s->conns->prev = c;
        s->conns = c;
        pthread_mutex_unlock(&s->lock);
        *socket_context = c;
        return;
    }
    conn *c = *socket_context;
    if (!c)
        return;
    pthread_mutex_lock(&s->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&s->lock);
    conn_reset(c);
    free(c);
    *socket_context = NULL;
}

/* Called when a request line arrived: keeps the raw query, hands the conn to
 * the access handler as its con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
    (void)cls;
    const union MHD_ConnectionInfo *info = MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    conn *c = info ? info->socket_context : NULL;
    if (!c)
        return NULL;
    conn_reset(c);
    const char *q = strchr(uri, '?');
    c->query = xstrdup(q ? q + 1 : "");
    char *hash = strchr(c->query, '#');
    if (hash)
        *hash = '\0';
    return c;
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)mc;
    (void)code;
    conn *c = *con_cls;
    if (!c)
        return;
    conn_reset(c);
    set_phase(c, PHASE_HEAD, SERVER_HEAD_TIMEOUT_S);
    *con_cls = NULL;
}

/* --- the request ----------------------------------------------------------------------- */

/* Adds one header to the object (a repeated name becomes an array). Out of
 * memory aborts, as everywhere in srcfn. */
static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *name, const char *value)
{
    (void)kind;
    json_t *headers = cls;
    json_t *v = header_string(value ? value : "");
    json_t *prev = json_object_get(headers, name);
    int rc;
    if (!v)
        abort();
    if (!prev)
        rc = json_object_set_new(headers, name, v);
    else if (json_is_array(prev))
        rc = json_array_append_new(prev, v);
    else
        rc = json_object_set_new(headers, name, json_pack("[O, o]", prev, v));
    if (rc != 0)
        abort();
    return MHD_YES;
}

static int is_api(const server *s, const char *url)
{
    return s->api_prefix && strncmp(url, s->api_prefix, strlen(s->api_prefix)) == 0;
}

/* The first call, once the head is parsed: what can be refused before reading.
 * Under the API prefix only the size is; the handler judges the rest. */
static enum MHD_Result check_head(conn *c, struct MHD_Connection *mc, const char *url, const char *method)
{
    set_phase(c, PHASE_BODY, SERVER_BODY_TIMEOUT_S);
    c->api = is_api(c->s, url);
    if (!c->api && strcmp(method, MHD_HTTP_METHOD_POST) != 0)
        return refuse(c, mc, MHD_HTTP_METHOD_NOT_ALLOWED, "only POST is accepted");
    const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    const char *te = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_TRANSFER_ENCODING);
    unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
    if (declared > SERVER_MAX_BODY)
        return refuse(c, mc, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than 512 KiB");
    const char *ct = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!c->api && (declared > 0 || te) && server_body_type(ct) == SERVER_BODY_OTHER)
        return refuse(c, mc, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
                      "the Content-Type must be application/json or application/x-www-form-urlencoded");
    if (declared > 0) {
        c->body = malloc(declared + 1);
        if (!c->body)
            return MHD_NO;
        c->cap = declared + 1;
    }
    return MHD_YES;
}

/* Appends a piece of the streamed body. Past the limit the rest is counted
 * and discarded (MHD cannot answer in the middle of a body), and answered 413
 * when it ends; a body that goes on past DISCARD_MAX more is cut off. */
static enum MHD_Result take_body(conn *c, const char *data, size_t *size)
{
    size_t n = *size;
    *size = 0;
    if (c->refused)
        return MHD_YES;
    if (c->too_big || n > SERVER_MAX_BODY - c->len) {
        free(c->body);
        c->body = NULL;
        c->len = c->cap = 0;
        c->too_big = 1;
        c->discarded += n;
        return c->discarded > DISCARD_MAX ? MHD_NO : MHD_YES;
    }
    if (c->len + n + 1 > c->cap) {
        size_t cap = c->cap ? c->cap : 4096;
        while (cap < c->len + n + 1)
            cap *= 2;
        if (cap > SERVER_MAX_BODY + 1)
            cap = SERVER_MAX_BODY + 1;
        char *grown = realloc(c->body, cap);
        if (!grown)
            return MHD_NO;
        c->body = grown;
        c->cap = cap;
    }
    memcpy(c->body + c->len, data, n);
    c->len += n;
    return MHD_YES;
}

/* The body is complete: checks it and hands the request to the handler. */
static enum MHD_Result answer(server *s, conn *c, struct MHD_Connection *mc, const char *url,
                              const char *method)
{
    set_phase(c, PHASE_DONE, 0);
    if (!c->body) {
        c->body = malloc(1);
        if (!c->body)
            return MHD_NO;
    }
    c->body[c->len] = '\0';
    if (!c->api && !utf8_valid(c->body, c->len))
        return send_error(mc, MHD_HTTP_BAD_REQUEST, "the body is not valid UTF-8", 0);
    const char *ct = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    if (!c->api && c->len > 0 && server_body_type(ct) == SERVER_BODY_JSON && !jsoncheck_valid(c->body, c->len))
        return send_error(mc, MHD_HTTP_BAD_REQUEST, "the body is not valid JSON", 0);
    json_t *headers = json_object();
    if (!headers)
        return MHD_NO;
    MHD_get_connection_values(mc, MHD_HEADER_KIND, add_header, headers);
    server_request req = {method, url, c->query ? c->query : "", headers, c->body, c->len, c};
    int status = MHD_HTTP_OK;
    c->mc = mc;
    json_t *reply = s->handler(s->ctx, &req, &status);
    json_decref(headers);
    if (status == SERVER_DEFERRED && !reply)
        return MHD_YES;   /* suspended: answered when resumed */
    return send_json(mc, status, reply, 0);
}

/* Called again once server_resume resumed the connection: sends its answer. */
static enum MHD_Result answer_deferred(conn *c, struct MHD_Connection *mc)
{
    pthread_mutex_lock(&c->s->lock);
    int ready = c->has_reply;
    json_t *reply = c->reply;
    int status = c->reply_status;
    if (ready) {
        c->reply = NULL;
        c->has_reply = 0;
        c->deferred = 0;
    }
    pthread_mutex_unlock(&c->s->lock);
    return ready ? send_json(mc, status, reply, 0) : MHD_YES;
}

server_deferred *server_defer(const server_request *req)
{
    conn *c = req->conn_;
    server *s = c->s;
    pthread_mutex_lock(&s->lock);
    int ok = !s->closing;
    if (ok) {
        s->deferred++;
        c->deferred = 1;
    }
    pthread_mutex_unlock(&s->lock);
    if (!ok)
        return NULL;
    MHD_suspend_connection(c->mc);
    return c;
}

void server_resume(server_deferred *c, int status, json_t *reply)
{
    server *s = c->s;
    pthread_mutex_lock(&s->lock);
    c->reply = reply;
    c->reply_status = status;
    c->has_reply = 1;
    pthread_mutex_unlock(&s->lock);
    /* From here MHD may answer and free c: only s is touched after. */
    MHD_resume_connection(c->mc);
    pthread_mutex_lock(&s->lock);
    if (--s->deferred == 0)
        pthread_cond_broadcast(&s->drained);
    pthread_mutex_unlock(&s->lock);
}

char *server_take_body(const server_request *req)
{
    conn *c = req->conn_;
    char *body = c->body;
    c->body = NULL;
    c->len = c->cap = 0;
    return body;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **con_cls)
{
    (void)version;
    server *s = cls;
    conn *c = *con_cls;
    if (!c)
        return MHD_NO;
    if (c->phase == PHASE_HEAD)
        return check_head(c, mc, url, method);
    if (*upload_size > 0)
        return take_body(c, upload_data, upload_size);
    if (c->phase == PHASE_DONE && c->deferred)
        return answer_deferred(c, mc);
    if (c->refused || c->phase == PHASE_DONE)
        return MHD_YES;
    if (c->too_big) {
        set_phase(c, PHASE_DONE, 0);
        return send_error(mc, MHD_HTTP_CONTENT_TOO_LARGE, "the body is larger than 512 KiB", 1);
    }
    return answer(s, c, mc, url, method);
}

/* --- the watchdog ------------------------------------------------------------------------ */

static void *watchdog_main(void *arg)
{
    server *s = arg;
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        int64_t now = mono_ms();
        for (conn *c = s->conns; c; c = c->next) {
            if (c->deadline_ms && now >= c->deadline_ms && c->fd >= 0) {
                (void)shutdown(c->fd, SHUT_RDWR);   /* best effort: the socket may be closing */
                c->deadline_ms = 0;
            }
        }
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_nsec += WATCH_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&s->wake, &s->lock, &until);   /* s->wake runs on CLOCK_MONOTONIC */
    }
    pthread_mutex_unlock(&s->lock);
    return NULL;
}

/* --- starting and stopping ----------------------------------------------------------------- */

/* Room for CONN_LIMIT sockets: the soft descriptor limit raised toward the hard one. */
static void raise_fd_limit(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    rlim_t want = CONN_LIMIT + 256;
    if (rl.rlim_cur >= want)
        return;
    rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
        fprintf(stderr, "srcfn: cannot raise the open-files limit to %llu (%s): fewer connections fit\n",
                (unsigned long long)rl.rlim_cur, strerror(errno));
}

static char *error_text(const char *what, const char *detail)
{
    char *msg = NULL;
    if (asprintf(&msg, "%s%s", what, detail) < 0)
        abort();
    return msg;
}

static void server_free(server *s)
{
    free(s->api_prefix);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    pthread_cond_destroy(&s->drained);
    free(s);
}

typedef union bind_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} bind_addr;

static int parse_bind(const char *host, int port, bind_addr *a, int *ipv6)
{
    memset(a, 0, sizeof *a);
    *ipv6 = strchr(host, ':') != NULL;
    if (*ipv6) {
        a->v6.sin6_family = AF_INET6;
        a->v6.sin6_port = htons((uint16_t)port);
        return inet_pton(AF_INET6, host, &a->v6.sin6_addr) == 1 ? 0 : -1;
    }
    a->v4.sin_family = AF_INET;
    a->v4.sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &a->v4.sin_addr) == 1 ? 0 : -1;
}

static socklen_t addr_len(int ipv6)
{
    return ipv6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

/* Binds a plain socket (SO_REUSEADDR, as MHD sets, but not SO_REUSEPORT)
 * to addr, port 0 meaning any free one, and writes the port it got into
 * addr: 0, or -1 when anything listens there (a server sharing its port
 * through SO_REUSEPORT included) or it cannot bind. */
static int claim_port(bind_addr *addr, int ipv6)
{
    int fd = socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int one = 1;
    bind_addr got;
    socklen_t len = sizeof got;
    int ok = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) == 0 &&
             bind(fd, &addr->sa, addr_len(ipv6)) == 0 && getsockname(fd, &got.sa, &len) == 0;
    close(fd);
    if (!ok)
        return -1;
    if (ipv6)
        addr->v6.sin6_port = got.v6.sin6_port;
    else
        addr->v4.sin_port = got.v4.sin_port;
    return 0;
}

static struct MHD_Daemon *start_mhd(server *s, const bind_addr *addr, int ipv6, unsigned reuse, unsigned limit)
{
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO | MHD_ALLOW_SUSPEND_RESUME;
    if (ipv6)
        flags |= MHD_USE_IPv6;
    uint16_t port = ntohs(ipv6 ? addr->v6.sin6_port : addr->v4.sin_port);
    return MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, &addr->sa,
                            MHD_OPTION_LISTENING_ADDRESS_REUSE, reuse,
                            MHD_OPTION_CONNECTION_LIMIT, limit,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SERVER_IDLE_TIMEOUT_S,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)LISTEN_BACKLOG,
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_END);
}

static void stop_daemons(server *s)
{
    for (int i = 0; i < s->n_mhd; i++)
        MHD_stop_daemon(s->mhd[i]);
    s->n_mhd = 0;
}

/* Starts the daemons on addr (port 0: a free port, claimed first so that
 * they all share it) and sets s->port; 0, or -1 with none left running. */
static int start_daemons(server *s, const server_options *opt, bind_addr *addr, int ipv6)
{
    int n = opt->threads > 0 ? opt->threads : DEFAULT_THREADS;
    if (n > MAX_DAEMONS)
        n = MAX_DAEMONS;
    if (n > 1 && claim_port(addr, ipv6) != 0)
        return -1;
    unsigned limit = (unsigned)(CONN_LIMIT / n);
    for (int i = 0; i < n; i++) {
        s->mhd[i] = start_mhd(s, addr, ipv6, n > 1, limit);
        if (!s->mhd[i]) {
            stop_daemons(s);
            return -1;
        }
        s->n_mhd++;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->mhd[0], MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : opt->port;
    return 0;
}

server *server_start(const server_options *opt, server_handler handler, void *ctx, char **err)
{
    *err = NULL;
    bind_addr addr;
    int ipv6 = 0;
    const char *host = opt->bind ? opt->bind : "127.0.0.1";
    if (opt->port < 0 || opt->port > 65535) {
        *err = error_text("not a port number (0..65535)", "");
        return NULL;
    }
    if (parse_bind(host, opt->port, &addr, &ipv6) != 0) {
        *err = error_text("not an IP address to bind: ", host);
        return NULL;
    }
    server *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->handler = handler;
    s->ctx = ctx;
    s->api_prefix = opt->api_prefix ? xstrdup(opt->api_prefix) : NULL;
    pthread_condattr_t attr;
    if (pthread_mutex_init(&s->lock, NULL) != 0 || pthread_condattr_init(&attr) != 0 ||
        pthread_condattr_setclock(&attr, CLOCK_MONOTONIC) != 0 || pthread_cond_init(&s->wake, &attr) != 0 ||
        pthread_cond_init(&s->drained, NULL) != 0)
        abort();
    pthread_condattr_destroy(&attr);
    raise_fd_limit();
    if (start_daemons(s, opt, &addr, ipv6) != 0) {
        char port[16];
        snprintf(port, sizeof port, "%d", opt->port);
        *err = error_text(opt->port ? "cannot listen (in use?) on port " : "cannot listen on a free port", opt->port ? port : "");
        server_free(s);
        return NULL;
    }
    if (pthread_create(&s->watchdog, NULL, watchdog_main, s) != 0) {
        stop_daemons(s);
        server_free(s);
        *err = error_text("cannot start a thread: ", strerror(errno));
        return NULL;
    }
    return s;
}

int server_port(const server *s)
{
    return s->port;
}

void server_stop(server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->closing = 1;
    while (s->deferred > 0)
        pthread_cond_wait(&s->drained, &s->lock);
    pthread_mutex_unlock(&s->lock);
    stop_daemons(s);
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->watchdog, NULL);
    server_free(s);
}
