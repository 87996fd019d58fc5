/* The DOM walk of cleanlib.html.dom in C: the same blocks as dom._walk, from selectolax's lexbor tree.
 *
 * dom._walk (Python) is the reference; this file follows it step by step and tests/test_dom_walk.py
 * compares the two on every page it has. The tree is read through lexbor's own exported functions
 * (their addresses come from ctypes, see cleanlib/html/native_walk.py), so the only thing assumed of
 * lexbor's layout is where a text node keeps its string, and init() checks that on a real node.
 *
 * walk() returns None where it cannot give exactly what the Python walk gives (text that is not valid
 * UTF-8, counts past int32), and the caller then runs the Python walk.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

enum { K_INLINE, K_BLOCK, K_SKIP, K_BR, K_LINK, K_PRE };  /* dom._INLINE ... dom._PRE */
#define TOKEN_LEVELS 8
#define CONTAINER_LEVELS 8

typedef struct { unsigned char *data; size_t length; } lexbor_str;  /* lexbor_str_t */
/* lxb_dom_node_t, only for its size: a text node's lexbor_str_t follows it (lxb_dom_character_data_t) */
typedef struct {
    void *events;
    uintptr_t local_name, prefix, ns;
    void *owner_document, *next, *prev, *parent, *first_child, *last_child, *user;
    int type;
} lexbor_node;

typedef void *(*node_f)(void *);
typedef uintptr_t (*tag_id_f)(void *);
typedef const unsigned char *(*attr_str_f)(void *, size_t *);

static struct {
    node_f first_child, next, first_attr, next_attr;
    tag_id_f tag_id;
    attr_str_f attr_name, attr_value;
    int ready;
} lx;

static size_t text_offset = sizeof(lexbor_node);

/* ---------------------------------------------------------------------------------------------- */
/* Growable arrays                                                                                 */
/* ---------------------------------------------------------------------------------------------- */

typedef struct { char *p; size_t n, cap; } Buf;

static int buf_reserve(Buf *b, size_t extra) {
    if (b->n + extra <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->n + extra) cap *= 2;
    char *p = PyMem_Realloc(b->p, cap);
    if (!p) { PyErr_NoMemory(); return -1; }
    b->p = p; b->cap = cap;
    return 0;
}

static int buf_add(Buf *b, const void *src, size_t n) {
    if (!n) return 0;
    if (buf_reserve(b, n) < 0) return -1;
    memcpy(b->p + b->n, src, n);
    b->n += n;
    return 0;
}

#define BUF_PUSH(b, value) buf_add((b), &(value), sizeof(value))

/* ---------------------------------------------------------------------------------------------- */
/* UTF-8 and white space as Python's str.split() sees it                                           */
/* ---------------------------------------------------------------------------------------------- */

static inline int is_space(uint32_t c) {
    if (c < 0x80) return (c >= 9 && c <= 13) || (c >= 0x1c && c <= 0x20);
    return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
           c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* One code point of s[i..n): its length in bytes, or 0 where the bytes are not strict UTF-8. */
static inline int utf8_next(const unsigned char *s, size_t i, size_t n, uint32_t *cp) {
    unsigned char c = s[i];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xc2 && c <= 0xdf) {
        if (i + 1 >= n || (s[i + 1] & 0xc0) != 0x80) return 0;
        *cp = ((uint32_t)(c & 0x1f) << 6) | (s[i + 1] & 0x3f);
        return 2;
    }
    if (c >= 0xe0 && c <= 0xef) {
        if (i + 2 >= n || (s[i + 1] & 0xc0) != 0x80 || (s[i + 2] & 0xc0) != 0x80) return 0;
        uint32_t v = ((uint32_t)(c & 0x0f) << 12) | ((uint32_t)(s[i + 1] & 0x3f) << 6) | (s[i + 2] & 0x3f);
        if (v < 0x800 || (v >= 0xd800 && v <= 0xdfff)) return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xf0 && c <= 0xf4) {
        if (i + 3 >= n || (s[i + 1] & 0xc0) != 0x80 || (s[i + 2] & 0xc0) != 0x80 || (s[i + 3] & 0xc0) != 0x80)
            return 0;
        uint32_t v = ((uint32_t)(c & 0x07) << 18) | ((uint32_t)(s[i + 1] & 0x3f) << 12) |
                     ((uint32_t)(s[i + 2] & 0x3f) << 6) | (s[i + 3] & 0x3f);
        if (v < 0x10000 || v > 0x10ffff) return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

/* Scan a text: its non-space code points (NULs not counted where ``skip_nul``), and whether it is all white
 * space (str.isspace()); -1 if not UTF-8. */
static Py_ssize_t scan_text(const unsigned char *s, size_t n, int skip_nul, int *all_space) {
    Py_ssize_t nonspace = 0;
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        int len = utf8_next(s, i, n, &cp);
        if (!len) return -1;
        if (!is_space(cp) && (cp || !skip_nul)) nonspace++;
        i += len;
    }
    *all_space = n > 0 && nonspace == 0;
    return nonspace;
}

/* A block's raw text (NUL = <br>) collapsed as dom._collapse does: each line's white-space runs to one
 * space, trimmed; empty lines dropped; lines joined by "\n". Writes to out; the non-space code points. */
static Py_ssize_t collapse(const unsigned char *s, size_t n, Buf *out) {
    Py_ssize_t chars = 0;
    size_t i = 0;
    int in_line = 0;  /* a word of the current line is written */
    char sep = 0;     /* what goes before the next word: ' ', '\n' or nothing */
    out->n = 0;
    if (buf_reserve(out, n + 1) < 0) return -1;
    while (i < n) {
        if (s[i] == 0) {  /* a <br>: the line ends */
            if (in_line) { in_line = 0; sep = '\n'; }
            i++;
            continue;
        }
        uint32_t cp;
        int len = utf8_next(s, i, n, &cp);
        if (!len) return -2;
        if (is_space(cp)) {
            if (in_line) sep = ' ';
        } else {
            if (sep) { out->p[out->n++] = sep; sep = 0; }
            memcpy(out->p + out->n, s + i, len);
            out->n += len;
            in_line = 1;
            chars++;
        }
        i += len;
    }
    return chars;
}

/* ---------------------------------------------------------------------------------------------- */
/* The walk                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

typedef struct {
    void *node, *cursor;  /* the element; its next child to visit */
    int kind;
    uint64_t mask;        /* ANCESTOR_TAGS bits of the element and its ancestors */
    int32_t tok;          /* its token slot: -1 not read yet, 0 none, k > 0 slots[k - 1] */
    int32_t rec;          /* its block record (block frames), else -1 */
} Frame;

typedef struct {          /* one block-level element entered */
    int32_t pos, index, code, parent, chain_len;
    PyObject *name;       /* borrowed from the names list */
    uint64_t mask;
    int pre, has_blocks, is_parent;
    int64_t chars, nblocks;
    int32_t chain[CONTAINER_LEVELS];
} Rec;

typedef struct {          /* one block */
    int32_t owner, parent;
    int64_t chars, link_chars;
    uint64_t inner;
} Row;

typedef struct {
    Buf stack, recs, rows, chain_ids, chain_lens, pieces, text;
    PyObject *texts, *slots, *names, *role_bits;
    Py_ssize_t npieces;   /* pieces since the last flush (an empty text counts, as in the Python list) */
    int64_t link_chars;
    uint64_t inner;
} Walk;

#define STACK(w) ((Frame *)(w)->stack.p)
#define RECS(w) ((Rec *)(w)->recs.p)

/* (class, id, role, itemprop) of an element, each str or None (the last of a name wins, as in a dict). */
static PyObject *element_attrs(void *node) {
    PyObject *vals[4] = {NULL, NULL, NULL, NULL};
    static const char *keys[4] = {"class", "id", "role", "itemprop"};
    static const size_t lens[4] = {5, 2, 4, 8};
    int any = 0;
    for (void *a = lx.first_attr(node); a; a = lx.next_attr(a)) {
        size_t nlen = 0, vlen = 0;
        const unsigned char *name = lx.attr_name(a, &nlen);
        for (int k = 0; k < 4; k++) {
            if (name && nlen == lens[k] && memcmp(name, keys[k], nlen) == 0) {
                const unsigned char *v = lx.attr_value(a, &vlen);
                PyObject *s = Py_None;
                if (v) s = PyUnicode_DecodeUTF8((const char *)v, vlen, "replace");
                else Py_INCREF(Py_None);
                if (!s) { for (int j = 0; j < 4; j++) Py_XDECREF(vals[j]); return NULL; }
                Py_XDECREF(vals[k]);
                vals[k] = s;
                any = 1;
            }
        }
    }
    if (!any) Py_RETURN_NONE;
    for (int k = 0; k < 4; k++) if (!vals[k]) { Py_INCREF(Py_None); vals[k] = Py_None; }
    PyObject *t = PyTuple_Pack(4, vals[0], vals[1], vals[2], vals[3]);
    for (int k = 0; k < 4; k++) Py_DECREF(vals[k]);
    return t;
}

static int has_href(void *node) {
    for (void *a = lx.first_attr(node); a; a = lx.next_attr(a)) {
        size_t nlen = 0;
        const unsigned char *name = lx.attr_name(a, &nlen);
        if (name && nlen == 4 && memcmp(name, "href", 4) == 0) return 1;
    }
    return 0;
}

/* Read a frame's token slot (dom._Builder._read). */
static int read_tokens(Walk *w, Frame *f) {
    PyObject *t = element_attrs(f->node);
    if (!t) return -1;
    if (t == Py_None) { Py_DECREF(t); f->tok = 0; return 0; }
    int rc = PyList_Append(w->slots, t);
    Py_DECREF(t);
    if (rc < 0) return -1;
    f->tok = (int32_t)PyList_GET_SIZE(w->slots);
    return 0;
}

/* Close the current text run of record ``owner`` as a block (dom._Builder.flush). 1 if the text is not
 * UTF-8, -1 on error, else 0. */
static int flush(Walk *w, int32_t owner, int anonymous) {
    Rec *o = &RECS(w)[owner];
    Py_ssize_t chars;
    PyObject *text;
    const unsigned char *raw = (const unsigned char *)w->pieces.p;
    size_t n = w->pieces.n;
    if (o->pre) {  /* kept raw here; the caller applies dom._preformatted (a NUL there is a line break) */
        int all_space;
        chars = scan_text(raw, n, 1, &all_space);
        if (chars < 0) return 1;
        text = chars ? PyUnicode_DecodeUTF8((const char *)raw, n, "strict") : NULL;
    } else {
        chars = collapse(raw, n, &w->text);
        if (chars == -1) return -1;
        if (chars == -2) return 1;
        text = chars ? PyUnicode_DecodeUTF8(w->text.p, w->text.n, "strict") : NULL;
    }
    w->pieces.n = 0;
    w->npieces = 0;
    if (!chars) { w->link_chars = 0; return 0; }
    if (!text) return -1;
    int rc = PyList_Append(w->texts, text);
    Py_DECREF(text);
    if (rc < 0) return -1;
    Row row = {owner, anonymous ? owner : o->parent, chars, w->link_chars, w->inner};
    w->link_chars = 0;
    if (BUF_PUSH(&w->rows, row) < 0) return -1;
    /* class/id tokens of the owner and its TOKEN_LEVELS - 1 nearest ancestors, read where not read yet:
     * the innermost first, then any left from the top down (the order of dom._Builder._read_tokens) */
    int32_t pos = o->pos;
    int32_t lo = pos >= TOKEN_LEVELS ? pos - TOKEN_LEVELS + 1 : 0;
    int32_t k = pos;
    while (k >= lo && STACK(w)[k].tok < 0) { if (read_tokens(w, &STACK(w)[k]) < 0) return -1; k--; }
    for (int32_t i = lo; i <= k; i++)
        if (STACK(w)[i].tok < 0 && read_tokens(w, &STACK(w)[i]) < 0) return -1;
    for (int32_t i = pos; i >= lo; i--)
        if (BUF_PUSH(&w->chain_ids, STACK(w)[i].tok) < 0) return -1;
    int32_t len = pos - lo + 1;
    if (BUF_PUSH(&w->chain_lens, len) < 0) return -1;
    o = &RECS(w)[owner];
    o->chars += chars;
    o->nblocks += 1;
    if (row.parent >= 0) RECS(w)[row.parent].is_parent = 1;
    return 0;
}

static int push_frame(Walk *w, void *node, int kind, uint64_t mask, int32_t rec) {
    Frame f = {node, lx.first_child(node), kind, mask, -1, rec};
    return BUF_PUSH(&w->stack, f);
}

static int new_rec(Walk *w, int32_t pos, int32_t index, int32_t code, PyObject *name, uint64_t mask, int pre,
                   int32_t parent) {
    Rec r;
    memset(&r, 0, sizeof r);
    r.pos = pos; r.index = index; r.code = code; r.name = name; r.mask = mask; r.pre = pre; r.parent = parent;
    r.chain[0] = index;
    r.chain_len = 1;
    if (parent >= 0) {
        Rec *p = &RECS(w)[parent];
        for (int i = 0; i < p->chain_len && i < CONTAINER_LEVELS - 1; i++) r.chain[r.chain_len++] = p->chain[i];
    }
    return BUF_PUSH(&w->recs, r);
}

/* The walk proper; 1 where the text is not UTF-8, -1 on error, 0 done. */
static int run(Walk *w, void *root, const uint8_t *kinds, const uint64_t *bits, const int16_t *codes,
               Py_ssize_t ntab, uintptr_t text_id, PyObject *root_name, int64_t *n_nodes) {
    int64_t n = 1;
    int link_depth = 0, pre_depth = 0, rc;
    uintptr_t rtid = lx.tag_id(root);
    uint64_t rbit = rtid < (uintptr_t)ntab ? bits[rtid] : 0;
    int32_t rcode = rtid < (uintptr_t)ntab ? codes[rtid] : codes[0];
    int32_t block = 0;
    int has_roles = PyDict_GET_SIZE(w->role_bits) > 0;
    if (new_rec(w, 0, 0, rcode, root_name, rbit, 0, -1) < 0 || push_frame(w, root, K_BLOCK, rbit, 0) < 0) return -1;
    while (w->stack.n) {
        Py_ssize_t top = (Py_ssize_t)(w->stack.n / sizeof(Frame)) - 1;
        Frame *f = &STACK(w)[top];
        void *node = f->cursor;
        if (node) {
            f->cursor = lx.next(node);
            uintptr_t tid = lx.tag_id(node);
            if (tid == text_id) {
                n++;
                lexbor_str *s = (lexbor_str *)((char *)node + text_offset);
                const unsigned char *data = s->data ? s->data : (const unsigned char *)"";
                size_t len = s->data ? s->length : 0;
                int all_space;
                Py_ssize_t nonspace = scan_text(data, len, 0, &all_space);
                if (nonspace < 0) return 1;
                if (w->npieces || pre_depth || !all_space) {
                    if (buf_add(&w->pieces, data, len) < 0) return -1;
                    w->npieces++;
                    if (link_depth) w->link_chars += nonspace;
                }
                continue;
            }
            int kind = K_INLINE;
            uint64_t bit = 0;
            int32_t code = -1;
            if (tid < (uintptr_t)ntab) { kind = kinds[tid]; bit = bits[tid]; code = codes[tid]; }
            else code = codes[0];  /* the "other" code, kept at index 0 (no lexbor tag has id 0) */
            if (kind == K_SKIP) continue;
            n++;
            if (kind == K_BR) {
                char c = pre_depth ? '\n' : '\0';
                if (buf_add(&w->pieces, &c, 1) < 0) return -1;
                w->npieces++;
                continue;
            }
            if (has_roles) {
                PyObject *key = PyLong_FromSize_t((size_t)node);
                if (!key) return -1;
                PyObject *v = PyDict_GetItemWithError(w->role_bits, key);
                Py_DECREF(key);
                if (v) {
                    uint64_t b = PyLong_AsUnsignedLongLong(v);
                    if (b == (uint64_t)-1 && PyErr_Occurred()) return -1;
                    bit |= b;
                } else if (PyErr_Occurred()) return -1;
            }
            uint64_t mask = f->mask | bit;
            if (kind == K_INLINE) {
                w->inner |= bit;
                if (push_frame(w, node, K_INLINE, mask, -1) < 0) return -1;
            } else if (kind == K_LINK) {
                w->inner |= bit;
                if (has_href(node)) link_depth++;
                else kind = K_INLINE;
                if (push_frame(w, node, kind, mask, -1) < 0) return -1;
            } else {  /* a block (or pre) starts: the text before it is an anonymous block of its container */
                if (w->npieces && (rc = flush(w, block, 1)) != 0) return rc;
                w->inner = 0;
                if (kind == K_PRE) pre_depth++;
                RECS(w)[block].has_blocks = 1;
                PyObject *name = PyList_GET_ITEM(w->names, tid);  /* every block tag has its name */
                int32_t rec = (int32_t)(w->recs.n / sizeof(Rec));
                if (new_rec(w, (int32_t)top + 1, (int32_t)(n - 1), code, name, mask, pre_depth > 0, block) < 0 ||
                    push_frame(w, node, kind, mask, rec) < 0)
                    return -1;
                block = rec;
            }
        } else {  /* the frame's element ends */
            int kind = f->kind;
            if (kind == K_LINK) {
                link_depth--;
            } else if (kind != K_INLINE) {  /* it is ``block`` */
                if (w->npieces && (rc = flush(w, block, RECS(w)[block].has_blocks)) != 0) return rc;
                w->inner = 0;
                Rec *r = &RECS(w)[block];
                if (r->parent >= 0) {
                    Rec *p = &RECS(w)[r->parent];
                    p->chars += r->chars;
                    p->nblocks += r->nblocks;
                    block = r->parent;
                }
                if (kind == K_PRE) pre_depth--;
            }
            w->stack.n -= sizeof(Frame);
        }
    }
    if (RECS(w)[0].chars > INT32_MAX || n > INT32_MAX) return 1;  /* the root's total is the largest; int32 columns */
    *n_nodes = n;
    return 0;
}

static PyObject *bytes_of(Buf *b) { return PyBytes_FromStringAndSize(b->p ? b->p : "", (Py_ssize_t)b->n); }

/* The walk's columns, one entry a block (see walk's docstring). */
static PyObject *columns(Walk *w, int64_t n_nodes) {
    Py_ssize_t nb = (Py_ssize_t)(w->rows.n / sizeof(Row));
    Row *rows = (Row *)w->rows.p;
    Rec *recs = RECS(w);
    PyObject *tags = PyList_New(nb);
    PyObject *out = NULL;
    Buf code = {0}, depth = {0}, chars = {0}, links = {0}, anc = {0}, inner = {0}, pre = {0}, index = {0},
        parent = {0}, pchars = {0}, pblocks = {0}, containers = {0};
    if (!tags) return NULL;
    for (Py_ssize_t i = 0; i < nb; i++) {
        Row *r = &rows[i];
        Rec *o = &recs[r->owner];
        int16_t c16 = (int16_t)o->code;
        int32_t d = o->pos, ch = (int32_t)r->chars, lk = (int32_t)r->link_chars, ix = o->index;
        int32_t pid = -1, pc = 0, pbn = 0;
        uint8_t pr = (uint8_t)o->pre;
        int32_t cont[CONTAINER_LEVELS];
        for (int k = 0; k < CONTAINER_LEVELS; k++) cont[k] = -1;
        if (r->parent >= 0) {
            Rec *p = &recs[r->parent];
            pid = p->index;
            if (p->is_parent) { pc = (int32_t)p->chars; pbn = (int32_t)p->nblocks; }
            for (int k = 0; k < p->chain_len; k++) cont[k] = p->chain[k];
        }
        Py_INCREF(o->name);
        PyList_SET_ITEM(tags, i, o->name);
        if (BUF_PUSH(&code, c16) < 0 || BUF_PUSH(&depth, d) < 0 || BUF_PUSH(&chars, ch) < 0 ||
            BUF_PUSH(&links, lk) < 0 || BUF_PUSH(&anc, o->mask) < 0 || BUF_PUSH(&inner, r->inner) < 0 ||
            BUF_PUSH(&pre, pr) < 0 || BUF_PUSH(&index, ix) < 0 || BUF_PUSH(&parent, pid) < 0 ||
            BUF_PUSH(&pchars, pc) < 0 || BUF_PUSH(&pblocks, pbn) < 0 || buf_add(&containers, cont, sizeof cont) < 0)
            goto done;
    }
    out = Py_BuildValue("{sOsOsNsNsNsNsNsNsNsNsNsNsNsNsNsNsOsL}",
                        "texts", w->texts, "tag", tags, "tag_code", bytes_of(&code), "depth", bytes_of(&depth),
                        "chars", bytes_of(&chars), "link_chars", bytes_of(&links), "ancestors", bytes_of(&anc),
                        "inner", bytes_of(&inner), "preformatted", bytes_of(&pre), "node_index", bytes_of(&index),
                        "parent_id", bytes_of(&parent), "parent_chars", bytes_of(&pchars),
                        "parent_blocks", bytes_of(&pblocks), "containers", bytes_of(&containers),
                        "chain_ids", bytes_of(&w->chain_ids), "chain_lens", bytes_of(&w->chain_lens),
                        "slots", w->slots, "n_nodes", (long long)n_nodes);
done:
    Py_DECREF(tags);
    PyMem_Free(code.p); PyMem_Free(depth.p); PyMem_Free(chars.p); PyMem_Free(links.p); PyMem_Free(anc.p);
    PyMem_Free(inner.p); PyMem_Free(pre.p); PyMem_Free(index.p); PyMem_Free(parent.p); PyMem_Free(pchars.p);
    PyMem_Free(pblocks.p); PyMem_Free(containers.p);
    return out;
}

static PyObject *py_walk(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long root;
    Py_buffer kinds, bits, codes;
    PyObject *names, *role_bits, *root_name;
    unsigned long long text_id;
    if (!lx.ready) { PyErr_SetString(PyExc_RuntimeError, "_walk.init() has not succeeded"); return NULL; }
    if (!PyArg_ParseTuple(args, "Ky*y*y*O!O!UK", &root, &kinds, &bits, &codes, &PyList_Type, &names,
                          &PyDict_Type, &role_bits, &root_name, &text_id))
        return NULL;
    PyObject *result = NULL;
    Py_ssize_t ntab = kinds.len;
    if (bits.len != ntab * 8 || codes.len != ntab * 2 || PyList_GET_SIZE(names) < ntab || ntab < 1) {
        PyErr_SetString(PyExc_ValueError, "walk: tables of different lengths");
        goto release;
    }
    Walk w;
    memset(&w, 0, sizeof w);
    w.names = names;
    w.role_bits = role_bits;
    w.texts = PyList_New(0);
    w.slots = PyList_New(0);
    if (w.texts && w.slots) {
        int64_t n_nodes = 0;
        int rc = run(&w, (void *)(uintptr_t)root, (const uint8_t *)kinds.buf, (const uint64_t *)bits.buf,
                     (const int16_t *)codes.buf, ntab, (uintptr_t)text_id, root_name, &n_nodes);
        if (rc == 0) result = columns(&w, n_nodes);
        else if (rc == 1) { Py_INCREF(Py_None); result = Py_None; }
    }
    Py_XDECREF(w.texts);
    Py_XDECREF(w.slots);
    PyMem_Free(w.stack.p); PyMem_Free(w.recs.p); PyMem_Free(w.rows.p); PyMem_Free(w.chain_ids.p);
    PyMem_Free(w.chain_lens.p); PyMem_Free(w.pieces.p); PyMem_Free(w.text.p);
release:
    PyBuffer_Release(&kinds);
    PyBuffer_Release(&bits);
    PyBuffer_Release(&codes);
    return result;
}

/* init(addresses, text_node, expected): lexbor's functions (first_child, next, tag_id, first_attr,
 * next_attr, attr_name, attr_value), then a check on a real text node whose UTF-8 text is ``expected``
 * that a text node's string is where this file reads it. True when the walk can run. */
static PyObject *py_init(PyObject *Py_UNUSED(self), PyObject *args) {
    unsigned long long a[7], text_node;
    Py_buffer expected;
    if (!PyArg_ParseTuple(args, "(KKKKKKK)Ky*", &a[0], &a[1], &a[2], &a[3], &a[4], &a[5], &a[6], &text_node,
                          &expected))
        return NULL;
    lx.ready = 0;
    for (int i = 0; i < 7; i++)
        if (!a[i]) { PyBuffer_Release(&expected); Py_RETURN_FALSE; }
    lexbor_str *s = (lexbor_str *)((char *)(uintptr_t)text_node + text_offset);
    /* the length first: a wrong layout gives another field there, which is no pointer to follow */
    int ok = text_node && s->length == (size_t)expected.len && s->data &&
             memcmp(s->data, expected.buf, expected.len) == 0;
    PyBuffer_Release(&expected);
    if (ok) {
        lx.first_child = (node_f)(uintptr_t)a[0];
        lx.next = (node_f)(uintptr_t)a[1];
        lx.tag_id = (tag_id_f)(uintptr_t)a[2];
        lx.first_attr = (node_f)(uintptr_t)a[3];
        lx.next_attr = (node_f)(uintptr_t)a[4];
        lx.attr_name = (attr_str_f)(uintptr_t)a[5];
        lx.attr_value = (attr_str_f)(uintptr_t)a[6];
        lx.ready = 1;
    }
    return PyBool_FromLong(ok);
}

static PyMethodDef methods[] = {
    {"init", py_init, METH_VARARGS, "Set lexbor's function addresses and check the text-node layout."},
    {"walk", py_walk, METH_VARARGS,
     "walk(root, kinds, bits, codes, names, role_bits, root_name, text_id) -> dict of block columns, or None."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_walk", "cleanlib.html.dom's walk in C.", -1, methods};

PyMODINIT_FUNC PyInit__walk(void) { return PyModule_Create(&module); }
