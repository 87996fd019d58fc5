/* Compiled versions of cleanlib's two hot loops; cleanlib/native.py calls them and holds the numpy
 * versions they must agree with (tests/test_native.py checks that they do).
 *
 * scan_text:   one pass over a batch's code points: character-class counts a paragraph (the numpy
 *              _char_stats) and the CRC-32 of every lowercased \w+ word (the numpy _tokenize).
 * tree_scores: the boosted trees, walked row by row (the numpy _complete_block).
 *
 * Arrays come in through the buffer protocol; the Python side makes them C-contiguous with the right
 * dtypes, and every size is checked here again before a byte is read or written. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* character-class bits, as in cleanlib/features.py */
#define F_UPPER 1
#define F_LOWER 2
#define F_DIGIT 4
#define F_SPACE 8
#define F_PUNCT 16
#define F_NEWLINE 32
#define F_SENT 64
#define F_CLOSING 128
/* word-table bits, as in cleanlib/native.py */
#define W_WORD 1
#define W_SPECIAL 2

enum { S_UPPER, S_LOWER, S_DIGIT, S_SPACE, S_PUNCT, S_NEWLINE, S_SENTENCES, S_SPACE_WORDS, S_CAPITALIZED,
       S_ASTRAL, S_PIPES, S_FIRST, S_LAST, S_LAST_FLAGS, S_DATE_HINT, S_URLS, S_HANDLES, N_STATS };

static uint32_t crc_table[256];

static void init_crc_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[n] = c;
    }
}

/* the CRC-32 state after the UTF-8 bytes of one code point */
static inline uint32_t crc_code_point(uint32_t crc, uint32_t cp) {
    unsigned char b[4];
    int n;
    if (cp < 0x80) { b[0] = (unsigned char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = 0xC0 | (cp >> 6); b[1] = 0x80 | (cp & 0x3F); n = 2; }
    else if (cp < 0x10000) { b[0] = 0xE0 | (cp >> 12); b[1] = 0x80 | ((cp >> 6) & 0x3F); b[2] = 0x80 | (cp & 0x3F); n = 3; }
    else { b[0] = 0xF0 | (cp >> 18); b[1] = 0x80 | ((cp >> 12) & 0x3F); b[2] = 0x80 | ((cp >> 6) & 0x3F);
           b[3] = 0x80 | (cp & 0x3F); n = 4; }
    for (int i = 0; i < n; i++)
        crc = crc_table[(crc ^ b[i]) & 0xFF] ^ (crc >> 8);
    return crc;
}

typedef struct {
    const uint8_t *wtab;     /* 65536 word-table bits */
    const uint32_t *ltab;    /* 65536 lowercase code points */
    const uint32_t *a_cp;    /* sorted astral code points of this batch */
    const uint32_t *a_low;
    const uint8_t *a_bits;
    Py_ssize_t n_astral;
} WordTables;

/* word-table bits and lowercase of a code point */
static inline uint8_t word_bits(const WordTables *t, uint32_t cp, uint32_t *lower) {
    if (cp < 0x10000) {
        *lower = t->ltab[cp];
        return t->wtab[cp];
    }
    Py_ssize_t lo = 0, hi = t->n_astral;
    while (lo < hi) {
        Py_ssize_t mid = (lo + hi) / 2;
        if (t->a_cp[mid] < cp) lo = mid + 1; else hi = mid;
    }
    if (lo < t->n_astral && t->a_cp[lo] == cp) {
        *lower = t->a_low[lo];
        return t->a_bits[lo];
    }
    *lower = cp;
    return 0;
}

/* is the code point a \w character (Python's re: alphanumeric or "_")? */
static inline int is_word(const WordTables *t, uint32_t cp) {
    uint32_t low;
    return (word_bits(t, cp, &low) & W_WORD) != 0;
}

static inline int starts_with(const uint32_t *c, Py_ssize_t i, Py_ssize_t e, const char *lit) {
    for (; *lit; lit++, i++)
        if (i >= e || c[i] != (uint32_t)(unsigned char)*lit) return 0;
    return 1;
}

/* length of a match of features._URL at i, or 0: https?://|www\.|\.(?:com|org|net|html?)\b */
static inline Py_ssize_t url_at(const WordTables *t, const uint32_t *c, Py_ssize_t i, Py_ssize_t e) {
    if (c[i] == 'h') {
        if (starts_with(c, i, e, "https://")) return 8;
        if (starts_with(c, i, e, "http://")) return 7;
    } else if (c[i] == 'w') {
        if (starts_with(c, i, e, "www.")) return 4;
    } else if (c[i] == '.') {
        static const char *const ends[] = {".com", ".org", ".net", ".html", ".htm"};
        for (int k = 0; k < 5; k++) {
            Py_ssize_t n = (Py_ssize_t)strlen(ends[k]);
            if (starts_with(c, i, e, ends[k]) && (i + n == e || !is_word(t, c[i + n]))) return n;
        }
    }
    return 0;
}

/* does features._HANDLE match at i: [@#] not after a word character, @ or #, and before a word character */
static inline int handle_at(const WordTables *t, const uint32_t *c, Py_ssize_t s, Py_ssize_t i, Py_ssize_t e) {
    if (c[i] != '@' && c[i] != '#') return 0;
    if (i > s && (c[i - 1] == '@' || c[i - 1] == '#' || is_word(t, c[i - 1]))) return 0;
    return i + 1 < e && is_word(t, c[i + 1]);
}

/* a C-contiguous buffer of items of `itemsize` bytes; on failure the view is released and an error set */
static int get_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize) {
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) != 0)
        return 0;
    if (view->itemsize != itemsize) {
        PyErr_Format(PyExc_ValueError, "expected items of %zd bytes, got %zd", itemsize, view->itemsize);
        PyBuffer_Release(view);
        return 0;
    }
    return 1;
}

/* does the buffer hold exactly rows x cols items (checked by division, so no product can overflow)? */
static int holds(const Py_buffer *view, Py_ssize_t rows, Py_ssize_t cols) {
    Py_ssize_t items = view->len / view->itemsize;
    return cols > 0 ? items % cols == 0 && items / cols == rows : items == 0;
}

/* the class bits of the code point at i, read once (another thread cannot make the index unsafe) */
static inline uint8_t flags_at(const uint32_t *c, Py_ssize_t i, const uint8_t *ctab) {
    uint32_t x = c[i];
    return x < 0x10000 ? ctab[x] : 0;
}

/* scan_text(cps, lengths, ctab, wtab, ltab, a_cp, a_low, a_bits, stats, hashes, n_words) -> tokens or -1 */
static PyObject *scan_text(PyObject *self, PyObject *args) {
    PyObject *o[11];
    Py_buffer v[11];
    int got = 0;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "OOOOOOOOOOO", &o[0], &o[1], &o[2], &o[3], &o[4], &o[5], &o[6], &o[7], &o[8],
                          &o[9], &o[10]))
        return NULL;
    static const Py_ssize_t item[11] = {4, 8, 1, 1, 4, 4, 4, 1, 8, 8, 8};
    for (; got < 11; got++)
        if (!get_buffer(o[got], &v[got], got >= 8, item[got]))
            goto done;
    const uint32_t *cps = v[0].buf;
    const int64_t *lengths = v[1].buf;
    const uint8_t *ctab = v[2].buf;
    WordTables t = {v[3].buf, v[4].buf, v[5].buf, v[6].buf, v[7].buf, v[5].len / 4};
    int64_t *stats = v[8].buf, *hashes = v[9].buf, *n_words = v[10].buf;
    Py_ssize_t n_cps = v[0].len / 4, n = v[1].len / 8;
    if (!holds(&v[2], 65536, 1) || !holds(&v[3], 65536, 1) || !holds(&v[4], 65536, 1)
        || !holds(&v[6], t.n_astral, 1) || !holds(&v[7], t.n_astral, 1) || !holds(&v[8], n, N_STATS)
        || v[9].len / 8 < (n_cps + n + 1) / 2 || !holds(&v[10], n, 1)) {
        PyErr_SetString(PyExc_ValueError, "scan_text: buffer sizes do not match");
        goto done;
    }
    Py_ssize_t n_tokens = 0, s = 0, cap = v[9].len / 8;  /* cap: never written past, whatever the input */
    int special = 0, bad_length = 0;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t p = 0; p < n && !special; p++) {
        int64_t length = lengths[p];  /* read once, checked here: the text's end is never passed */
        if (length < 0 || length > n_cps - s) { bad_length = 1; break; }
        Py_ssize_t e = s + (Py_ssize_t)length, last = -1;
        int64_t st[N_STATS] = {0};  /* local counters: the compiler keeps them out of the output buffers */
        int64_t words = 0;
        int prev_space = 1, in_word = 0, digits = 0;
        Py_ssize_t url_from = s, handle_from = s;  /* regex matches do not overlap: search on after the last */
        uint32_t crc = 0;
        uint8_t f_next = e > s ? flags_at(cps, s, ctab) : 0;
        for (Py_ssize_t i = s; i < e; i++) {
            uint32_t cp = cps[i];
            uint8_t f = f_next;
            f_next = i + 1 < e ? flags_at(cps, i + 1, ctab) : 0;
            int space = (f & F_SPACE) != 0;
            int next_space = (i + 1 == e) || (f_next & F_SPACE);
            st[S_UPPER] += (f & F_UPPER) != 0;
            st[S_LOWER] += (f & F_LOWER) != 0;
            st[S_DIGIT] += (f & F_DIGIT) != 0;
            st[S_SPACE] += space;
            st[S_PUNCT] += (f & F_PUNCT) != 0;
            st[S_NEWLINE] += (f & F_NEWLINE) != 0;
            st[S_SENTENCES] += (f & F_SENT) && next_space;
            if (!space && prev_space) {
                st[S_SPACE_WORDS]++;
                st[S_CAPITALIZED] += (f & F_UPPER) != 0;
            }
            st[S_ASTRAL] += cp >= 0x10000;
            st[S_PIPES] += cp == '|' || cp == 0xBB || cp == 0x203A;
            if (!(f & (F_CLOSING | F_SPACE))) last = i;
            /* a date hint: four digits in a row, digit [-/.:] digit, "ago" after a space, or any character
               above the basic plane (Python's \d takes digits there too): every match of features._DATE
               has one, so paragraphs without one need no regex search */
            if (cp >= 0x10000) {
                st[S_DATE_HINT] = 1;
                digits = 0;
            } else if (f & F_DIGIT) {
                if (++digits >= 4
                    || (i - s >= 2 && (cps[i - 1] == '-' || cps[i - 1] == '/' || cps[i - 1] == '.' || cps[i - 1] == ':')
                        && (flags_at(cps, i - 2, ctab) & F_DIGIT)))
                    st[S_DATE_HINT] = 1;
            } else {
                digits = 0;
                if ((cp | 0x20) == 'a' && i > s && i + 2 < e && (cps[i + 1] | 0x20) == 'g' && (cps[i + 2] | 0x20) == 'o'
                    && (flags_at(cps, i - 1, ctab) & F_SPACE))
                    st[S_DATE_HINT] = 1;
            }
            prev_space = space;
            if (cp == 'h' || cp == 'w' || cp == '.' || cp == '@' || cp == '#') {  /* URL and handle starts */
                if (i >= url_from) {
                    Py_ssize_t len = url_at(&t, cps, i, e);
                    if (len) { st[S_URLS]++; url_from = i + len; }
                }
                if (i >= handle_from && handle_at(&t, cps, s, i, e)) { st[S_HANDLES]++; handle_from = i + 2; }
            }
            /* words: runs of code points whose lowercase is a \w character */
            uint32_t low;
            uint8_t w = word_bits(&t, cp, &low);
            if (w & W_SPECIAL) { special = 1; break; }
            if (w & W_WORD) {
                if (!in_word) { in_word = 1; crc = 0xFFFFFFFFu; }
                crc = crc_code_point(crc, low);
            } else if (in_word) {
                in_word = 0;
                if (n_tokens < cap) hashes[n_tokens] = (int64_t)(crc ^ 0xFFFFFFFFu);
                n_tokens++;
                words++;
            }
        }
        if (in_word) {
            if (n_tokens < cap) hashes[n_tokens] = (int64_t)(crc ^ 0xFFFFFFFFu);
            n_tokens++;
            words++;
        }
        n_words[p] = words;
        st[S_FIRST] = e > s ? cps[s] : 0;
        st[S_LAST] = last >= 0 ? cps[last] : 0;
        st[S_LAST_FLAGS] = last >= 0 ? flags_at(cps, last, ctab) : 0;
        memcpy(stats + p * N_STATS, st, sizeof st);
        s = e;
    }
    Py_END_ALLOW_THREADS
    if (bad_length || (!special && s != n_cps)) {
        PyErr_SetString(PyExc_ValueError, "scan_text: paragraph lengths do not add up to the text's length");
        goto done;
    }
    if (n_tokens > cap) { PyErr_SetString(PyExc_ValueError, "scan_text: more words than the buffer holds"); goto done; }
    result = PyLong_FromSsize_t(special ? -1 : n_tokens);
done:
    for (int i = 0; i < got; i++) PyBuffer_Release(&v[i]);
    return result;
}

/* tree_scores(X, n_features, feat, thr, miss, leaf, klass, depth, out): out[r, klass[t]] += leaf value of tree t */
static PyObject *tree_scores(PyObject *self, PyObject *args) {
    PyObject *o[8];
    Py_buffer v[8];
    int got = 0, depth;
    Py_ssize_t d;
    int32_t *feat = NULL, *klass = NULL;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "OnOOOOOiO", &o[0], &d, &o[1], &o[2], &o[3], &o[4], &o[5], &depth, &o[6]))
        return NULL;
    static const Py_ssize_t item[7] = {8, 8, 8, 1, 8, 4, 8};
    for (; got < 7; got++)
        if (!get_buffer(o[got], &v[got], got == 6, item[got]))
            goto done;
    if (depth < 0 || depth > 30 || d <= 0) { PyErr_SetString(PyExc_ValueError, "bad depth or width"); goto done; }
    const double *X = v[0].buf, *thr = v[2].buf, *leaf = v[4].buf;
    const uint8_t *miss = v[3].buf;
    double *out = v[6].buf;
    Py_ssize_t n = v[0].len / 8 / d, n_trees = v[5].len / 4, n_inner = ((Py_ssize_t)1 << depth) - 1;
    Py_ssize_t inner = n_inner > 0 ? n_inner : 1, n_classes = n > 0 ? v[6].len / 8 / n : 0;
    if (!holds(&v[0], n, d) || !holds(&v[1], n_trees, inner) || !holds(&v[2], n_trees, inner)
        || !holds(&v[3], n_trees, inner) || !holds(&v[4], n_trees, n_inner + 1) || !holds(&v[6], n, n_classes)) {
        PyErr_SetString(PyExc_ValueError, "tree_scores: buffer sizes do not match");
        goto done;
    }
    /* the indices, checked as they are copied: the walk then reads only these private copies */
    feat = PyMem_Malloc((size_t)(n_trees * inner) * sizeof(int32_t) + 1);
    klass = PyMem_Malloc((size_t)n_trees * sizeof(int32_t) + 1);
    if (feat == NULL || klass == NULL) { PyErr_NoMemory(); goto done; }
    for (Py_ssize_t k = 0; k < n_trees; k++) {
        klass[k] = ((const int32_t *)v[5].buf)[k];
        if (n > 0 && (klass[k] < 0 || klass[k] >= n_classes)) { PyErr_SetString(PyExc_ValueError, "bad class"); goto done; }
    }
    for (Py_ssize_t k = 0; k < n_trees * inner; k++) {
        int64_t f = ((const int64_t *)v[1].buf)[k];
        if (f < 0 || f >= d) { PyErr_SetString(PyExc_ValueError, "bad feature index"); goto done; }
        feat[k] = (int32_t)f;
    }
    Py_BEGIN_ALLOW_THREADS
    /* tree by tree, ROWS rows at a time: the rows' walks are independent, so the CPU overlaps them */
    enum { ROWS = 8 };
    for (Py_ssize_t r0 = 0; r0 < n; r0 += ROWS) {
        Py_ssize_t m = n - r0 < ROWS ? n - r0 : ROWS;
        for (Py_ssize_t t = 0; t < n_trees; t++) {
            const int32_t *tf = feat + t * inner;
            const double *tt = thr + t * inner;
            const uint8_t *tm = miss + t * inner;
            Py_ssize_t pos[ROWS] = {0};
            for (int level = 0; level < depth; level++)
                for (Py_ssize_t j = 0; j < m; j++) {
                    double value = X[(r0 + j) * d + tf[pos[j]]];
                    int left = (value <= tt[pos[j]]) | ((value != value) & tm[pos[j]] & 1);
                    pos[j] = 2 * pos[j] + 2 - left;
                }
            const double *tl = leaf + t * (n_inner + 1);
            for (Py_ssize_t j = 0; j < m; j++)
                out[(r0 + j) * n_classes + klass[t]] += tl[pos[j] - n_inner];
        }
    }
    Py_END_ALLOW_THREADS
    Py_INCREF(Py_None);
    result = Py_None;
done:
    PyMem_Free(feat);
    PyMem_Free(klass);
    for (int i = 0; i < got; i++) PyBuffer_Release(&v[i]);
    return result;
}

/* ---- paragraph splitting, as cleanlib/segment.py ------------------------------------------------ */

/* the code point at i after segment._normalize_breaks: "\r\n" -> " \n", other line breaks -> "\n" */
static inline uint32_t norm_at(const uint32_t *c, Py_ssize_t i, Py_ssize_t n) {
    uint32_t x = c[i];
    if (x == '\r') return (i + 1 < n && c[i + 1] == '\n') ? ' ' : '\n';
    if (x == 0x2028 || x == 0x85 || x == 0x0b || x == 0x0c || x == 0x1c || x == 0x1d || x == 0x1e) return '\n';
    return x;
}

static inline int is_break(uint32_t x) { return x == '\n' || x == 0x2029; }

/* whitespace that is not a break: [^\S\n\u2029] */
static inline int is_hspace(uint32_t x, const uint8_t *ctab) {
    return !is_break(x) && x < 0x10000 && (ctab[x] & F_SPACE);
}

/* end of the separator starting at i, or i when none starts there */
static Py_ssize_t separator_end(const uint32_t *c, Py_ssize_t i, Py_ssize_t n, int blank, const uint8_t *ctab) {
    uint32_t x = norm_at(c, i, n);
    if (!blank) return is_break(x) ? i + 1 : i;
    if (x == 0x2029) return i + 1;
    if (x != '\n') return i;
    /* a blank line: \n[^\S\n\u2029]*(?:[\n\u2029][^\S\n\u2029]*)+ */
    Py_ssize_t j = i + 1;
    while (j < n && is_hspace(norm_at(c, j, n), ctab)) j++;
    if (j >= n || !is_break(norm_at(c, j, n))) return i;
    while (j < n && is_break(norm_at(c, j, n))) {
        j++;
        while (j < n && is_hspace(norm_at(c, j, n), ctab)) j++;
    }
    return j;
}

/* split_spans(cps, mode, ctab) -> (bytes of int64 (start, end) pairs, blank): mode 0 auto, 1 blank lines, 2 one a
 * line; blank is 1 where the text was split at blank lines, 0 where one paragraph a line (what auto chose).
 * The pairs go to a buffer that grows as paragraphs are found, so memory follows the paragraph count. */
static PyObject *split_spans(PyObject *self, PyObject *args) {
    PyObject *o[2];
    Py_buffer v[2];
    int got = 0, mode, failed = 0;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "OiO", &o[0], &mode, &o[1]))
        return NULL;
    for (; got < 2; got++)
        if (!get_buffer(o[got], &v[got], 0, got == 0 ? 4 : 1))
            goto done;
    const uint32_t *c = v[0].buf;
    const uint8_t *ctab = v[1].buf;
    Py_ssize_t n = v[0].len / 4, count = 0, capacity = 64;
    if (mode < 0 || mode > 2 || !holds(&v[1], 65536, 1)) {
        PyErr_SetString(PyExc_ValueError, "split_spans: bad mode or table size");
        goto done;
    }
    int64_t *spans = malloc(capacity * 2 * sizeof(int64_t));
    if (spans == NULL) { PyErr_NoMemory(); goto done; }
    int blank = mode != 2;
    Py_BEGIN_ALLOW_THREADS
    if (mode == 0) {  /* auto: blank-line blocks if the text has a blank line (or U+2029), else lines */
        blank = 0;
        for (Py_ssize_t i = 0; i < n && !blank; i++)
            blank = separator_end(c, i, n, 1, ctab) > i;
    }
    /* a byte-order mark as the first character is in no paragraph (segment.py); no separator starts there */
    Py_ssize_t piece = (n > 0 && c[0] == 0xFEFF) ? 1 : 0, i = piece;
    while (i <= n) {
        Py_ssize_t sep_end = i < n ? separator_end(c, i, n, blank, ctab) : n + 1;
        if (sep_end == i) { i++; continue; }
        /* the piece [piece, i), stripped of whitespace */
        Py_ssize_t a = piece, b = i;
        while (a < b && (flags_at(c, a, ctab) & F_SPACE)) a++;
        while (b > a && (flags_at(c, b - 1, ctab) & F_SPACE)) b--;
        if (b > a) {
            if (count == capacity) {
                int64_t *grown = realloc(spans, capacity * 4 * sizeof(int64_t));
                if (grown == NULL) { failed = 1; break; }
                spans = grown;
                capacity *= 2;
            }
            spans[2 * count] = a;
            spans[2 * count + 1] = b;
            count++;
        }
        piece = i = sep_end;
    }
    Py_END_ALLOW_THREADS
    if (failed) PyErr_NoMemory();
    else result = Py_BuildValue("(y#i)", (const char *)spans, count * 2 * (Py_ssize_t)sizeof(int64_t), blank);
    free(spans);
done:
    for (int k = 0; k < got; k++) PyBuffer_Release(&v[k]);
    return result;
}

/* sparse_dot(rows, cols, vals, weights, k, out): out[rows[e], c] += weights[cols[e], c] * vals[e], entry by
 * entry in order (the sums numpy's bincount over the same cells makes, in the same order); out starts zeroed */
static PyObject *sparse_dot(PyObject *self, PyObject *args) {
    PyObject *o[5];
    Py_buffer v[5];
    int got = 0;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "OOOOnO", &o[0], &o[1], &o[2], &o[3], &k, &o[4]))
        return NULL;
    for (; got < 5; got++)
        if (!get_buffer(o[got], &v[got], got == 4, 8))
            goto done;
    Py_ssize_t m = v[0].len / 8, n = k > 0 ? v[4].len / 8 / k : 0, n_cols = k > 0 ? v[3].len / 8 / k : 0;
    if (k <= 0 || v[1].len / 8 != m || v[2].len / 8 != m || !holds(&v[4], n, k) || !holds(&v[3], n_cols, k)) {
        PyErr_SetString(PyExc_ValueError, "sparse_dot: buffer sizes do not match");
        goto done;
    }
    const int64_t *rows = v[0].buf, *cols = v[1].buf;
    const double *vals = v[2].buf, *w = v[3].buf;
    double *out = v[4].buf;
    Py_ssize_t bad = -1;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t e = 0; e < m; e++) {
        int64_t r = rows[e], c = cols[e];
        if (r < 0 || r >= n || c < 0 || c >= n_cols) { bad = e; break; }
        const double *wc = w + c * k;
        double *oc = out + r * k, x = vals[e];
        for (Py_ssize_t j = 0; j < k; j++)
            oc[j] += wc[j] * x;
    }
    Py_END_ALLOW_THREADS
    if (bad >= 0) {
        PyErr_Format(PyExc_ValueError, "sparse_dot: entry %zd out of range", bad);
        goto done;
    }
    for (int i = 0; i < got; i++) PyBuffer_Release(&v[i]);
    Py_RETURN_NONE;
done:
    for (int i = 0; i < got; i++) PyBuffer_Release(&v[i]);
    return NULL;
}

/* attr_tokens(value, max_chars, max_tokens) -> (words, hashes): dom.split_tokens of a class/id value's first
 * max_chars code points (runs of ASCII letters split at camelCase, with their trailing digits; digit-only runs
 * dropped; lowercased), its first max_tokens distinct words in order, and their CRC-32s: the regex
 * [A-Z]+(?![a-z])[0-9]*|[A-Z]?[a-z]+[0-9]*|[0-9]+ read by hand */
#define IS_UP(c) ((c) >= 'A' && (c) <= 'Z')
#define IS_LOW(c) ((c) >= 'a' && (c) <= 'z')
#define IS_DIG(c) ((c) >= '0' && (c) <= '9')
static PyObject *attr_tokens(PyObject *self, PyObject *args) {
    PyObject *value;
    Py_ssize_t max_chars, max_tokens;
    if (!PyArg_ParseTuple(args, "Unn", &value, &max_chars, &max_tokens))
        return NULL;
    if (max_chars < 0 || max_tokens < 0 || max_tokens > 64) {
        PyErr_SetString(PyExc_ValueError, "attr_tokens: bad limits");
        return NULL;
    }
    int kind = PyUnicode_KIND(value);
    const void *data = PyUnicode_DATA(value);
    Py_ssize_t n = PyUnicode_GET_LENGTH(value);
    if (n > max_chars) n = max_chars;
    char *buf = PyMem_Malloc((size_t)n + 1);  /* every word's lowercase letters, one after another */
    if (buf == NULL) return PyErr_NoMemory();
    Py_ssize_t at[64], len[64], count = 0, used = 0, i = 0;
    while (i < n && count < max_tokens) {
        Py_UCS4 c = PyUnicode_READ(kind, data, i);
        Py_ssize_t start = i, end;
        if (IS_UP(c)) {
            Py_ssize_t j = i;
            while (j < n && IS_UP(PyUnicode_READ(kind, data, j))) j++;
            if (j < n && IS_LOW(PyUnicode_READ(kind, data, j))) {
                if (j - i >= 2) {
                    end = j - 1;  /* the capitals before "Xyz", no digits (a capital follows) */
                } else {      /* one capital, then lowercase letters and digits */
                    end = j;
                    while (end < n && IS_LOW(PyUnicode_READ(kind, data, end))) end++;
                    while (end < n && IS_DIG(PyUnicode_READ(kind, data, end))) end++;
                }
            } else {
                end = j;
                while (end < n && IS_DIG(PyUnicode_READ(kind, data, end))) end++;
            }
        } else if (IS_LOW(c)) {
            end = i;
            while (end < n && IS_LOW(PyUnicode_READ(kind, data, end))) end++;
            while (end < n && IS_DIG(PyUnicode_READ(kind, data, end))) end++;
        } else if (IS_DIG(c)) {
            while (i < n && IS_DIG(PyUnicode_READ(kind, data, i))) i++;
            continue;  /* digits alone: dropped */
        } else {
            i++;
            continue;
        }
        i = end;
        Py_ssize_t m = end - start;
        for (Py_ssize_t k = 0; k < m; k++) {
            Py_UCS4 x = PyUnicode_READ(kind, data, start + k);
            buf[used + k] = (char)(IS_UP(x) ? x + 32 : x);
        }
        int seen = 0;
        for (Py_ssize_t t = 0; t < count && !seen; t++)
            seen = len[t] == m && memcmp(buf + at[t], buf + used, (size_t)m) == 0;
        if (!seen) {
            at[count] = used;
            len[count++] = m;
            used += m;
        }
    }
    PyObject *words = PyTuple_New(count), *hashes = PyTuple_New(count), *result = NULL;
    if (words == NULL || hashes == NULL) goto done;
    for (Py_ssize_t t = 0; t < count; t++) {
        uint32_t crc = 0xFFFFFFFFu;
        for (Py_ssize_t k = 0; k < len[t]; k++)
            crc = crc_table[(crc ^ (unsigned char)buf[at[t] + k]) & 0xFF] ^ (crc >> 8);
        PyObject *w = PyUnicode_FromStringAndSize(buf + at[t], len[t]);
        PyObject *h = PyLong_FromUnsignedLong(crc ^ 0xFFFFFFFFu);
        if (w == NULL || h == NULL) { Py_XDECREF(w); Py_XDECREF(h); goto done; }
        PyTuple_SET_ITEM(words, t, w);
        PyTuple_SET_ITEM(hashes, t, h);
    }
    result = PyTuple_Pack(2, words, hashes);
done:
    PyMem_Free(buf);
    Py_XDECREF(words);
    Py_XDECREF(hashes);
    return result;
}

static PyMethodDef methods[] = {
    {"attr_tokens", attr_tokens, METH_VARARGS, "Words and CRC-32s of a class/id value (see native.py)."},
    {"sparse_dot", sparse_dot, METH_VARARGS, "Sparse coordinates times a dense matrix (see native.py)."},
    {"scan_text", scan_text, METH_VARARGS, "Character-class counts and word hashes of a batch (see native.py)."},
    {"split_spans", split_spans, METH_VARARGS, "Paragraph spans of a text (see native.py)."},
    {"tree_scores", tree_scores, METH_VARARGS, "Raw scores of complete-layout trees (see native.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_speedups", NULL, -1, methods};

PyMODINIT_FUNC PyInit__speedups(void) {
    init_crc_table();
    return PyModule_Create(&module);
}
