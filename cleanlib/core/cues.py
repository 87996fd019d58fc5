"""Cue phrases of boilerplate in the languages of our corpora, by kind: what a "Lesen Sie auch:", a "Reply" or a
"© 2024" line says about itself and its neighbours, whatever the language the model was trained on.

``cue_flags`` gives, for each paragraph and kind, whether the paragraph's first words are a cue phrase of that
kind (bullets, quotes and case do not matter: it compares word hashes); the features use it (``features.py``),
and the training augmentation builds its synthetic related-story blocks and comment threads from the same
phrases.
"""
from __future__ import annotations

import re
import zlib
from functools import lru_cache

import numpy as np

from .chars import WORD

__all__ = ["CUES", "KINDS", "cue_flags", "COMMENT_HEADING", "THREAD_INTRO", "is_comment_heading"]

# kind -> language -> phrases (matched on a paragraph's first words, lowercased; a CJK character is a word)
CUES: dict[str, dict[str, tuple[str, ...]]] = {
    "related": {
        "en": ("related", "related articles", "related stories", "related posts", "related content", "read more",
               "read next", "read also", "also read", "see also", "more stories", "more from", "more on this",
               "you may also like", "you might also like", "you may be interested", "recommended",
               "recommended for you", "most popular", "most read", "most viewed", "trending", "popular now",
               "don't miss", "watch next", "watch", "up next", "top stories", "latest news", "latest stories",
               "editor's picks", "further reading", "more news", "in other news", "keep reading", "what to read next"),
        "de": ("lesen sie auch", "lesen sie mehr", "lies auch", "auch interessant", "das könnte sie auch interessieren",
               "das könnte dich auch interessieren", "mehr zum thema", "weitere artikel", "meistgelesen",
               "meistgelesene artikel", "empfehlungen", "verwandte artikel", "weiterlesen", "mehr dazu",
               "ähnliche artikel", "top-themen", "neueste artikel", "mehr aus", "auch lesenswert", "zum thema",
               "passend zum thema", "beliebte artikel", "mehr nachrichten"),
        "fr": ("à lire aussi", "a lire aussi", "lire aussi", "voir aussi", "sur le même sujet", "les plus lus",
               "articles similaires", "à découvrir", "nos recommandations", "lire la suite", "en savoir plus",
               "dans la même rubrique", "à voir aussi", "les plus populaires"),
        "es": ("te puede interesar", "también te puede interesar", "lee también", "lea también", "más noticias",
               "noticias relacionadas", "lo más leído", "te recomendamos", "ver también", "relacionado",
               "artículos relacionados", "más información", "seguir leyendo", "leer más", "lo último"),
        "it": ("leggi anche", "potrebbe interessarti", "articoli correlati", "i più letti", "ti potrebbe interessare",
               "più letti", "vedi anche", "leggi altro", "correlati"),
        "pt": ("leia também", "veja também", "mais lidas", "notícias relacionadas", "saiba mais",
               "você pode gostar", "leia mais", "relacionadas"),
        "nl": ("lees ook", "meer over", "gerelateerde artikelen", "meest gelezen", "bekijk ook", "lees meer"),
        "sv": ("läs också", "läs mer", "mest lästa", "relaterat"),
        "no": ("les også", "les mer", "mest lest", "relaterte saker"),
        "da": ("læs også", "læs mere", "mest læste", "relaterede artikler"),
        "fi": ("lue myös", "luetuimmat", "katso myös", "lue lisää", "aiheesta lisää", "suosituimmat"),
        "pl": ("czytaj też", "czytaj także", "zobacz też", "zobacz także", "najczęściej czytane", "polecamy",
               "czytaj więcej"),
        "cs": ("čtěte také", "související články", "nejčtenější", "přečtěte si také"),
        "tr": ("ilgili haberler", "bunlar da ilginizi çekebilir", "en çok okunanlar", "daha fazla", "benzer haberler"),
        "ru": ("читайте также", "смотрите также", "похожие новости", "самое читаемое", "по теме", "читать далее"),
        "uk": ("читайте також", "дивіться також", "по темі"),
        "ja": ("関連記事", "あわせて読みたい", "おすすめ記事", "人気記事", "もっと見る", "関連ニュース", "次の記事"),
        "zh": ("相关文章", "相关新闻", "推荐阅读", "热门文章", "延伸阅读", "相關新聞", "熱門新聞", "延伸閱讀", "相關文章",
               "更多新闻"),
        "ko": ("관련기사", "관련 기사", "많이 본 뉴스", "추천 기사", "인기 기사"),
    },
    "share": {
        "en": ("share", "share this", "share on", "share this article", "share via", "tweet", "email this", "print",
               "copy link", "pin it", "whatsapp", "facebook", "twitter", "linkedin"),
        "de": ("teilen", "artikel teilen", "drucken", "per e-mail", "link kopieren", "jetzt teilen"),
        "fr": ("partager", "partagez", "imprimer", "copier le lien"),
        "es": ("compartir", "comparte", "imprimir", "copiar enlace"),
        "it": ("condividi", "stampa"),
        "pt": ("compartilhar", "partilhar", "imprimir"),
        "nl": ("delen", "deel dit", "printen"),
        "sv": ("dela", "skriv ut"), "no": ("del artikkelen",), "da": ("del artiklen",),
        "fi": ("jaa", "jaa artikkeli", "tulosta"), "pl": ("udostępnij", "drukuj"), "cs": ("sdílet", "tisk"),
        "tr": ("paylaş", "yazdır"), "ru": ("поделиться", "печать"), "uk": ("поділитися",),
        "ja": ("シェア", "共有", "ツイート"), "zh": ("分享", "转发"), "ko": ("공유", "공유하기"),
    },
    "subscribe": {
        "en": ("subscribe", "subscribe now", "newsletter", "sign up", "sign up for", "get the latest",
               "join our newsletter", "get our newsletter", "enter your email", "subscribe to our newsletter",
               "become a member", "support us", "already a subscriber", "create an account", "register now"),
        "de": ("abonnieren", "newsletter abonnieren", "jetzt abonnieren", "jetzt anmelden", "zum newsletter",
               "jetzt testen", "registrieren", "plus-abo", "bereits abonnent", "e-mail-adresse"),
        "fr": ("s'abonner", "abonnez-vous", "inscrivez-vous", "recevez notre newsletter", "déjà abonné"),
        "es": ("suscríbete", "suscribirse", "suscríbase", "boletín", "regístrate", "hazte socio"),
        "it": ("iscriviti", "abbonati", "registrati"), "pt": ("assine", "inscreva-se", "cadastre-se"),
        "nl": ("abonneer", "abonneren", "meld je aan", "schrijf je in"), "sv": ("prenumerera", "bli medlem"),
        "no": ("abonner", "bli abonnent"), "da": ("abonner", "tilmeld"), "fi": ("tilaa", "tilaa uutiskirje"),
        "pl": ("zapisz się", "subskrybuj", "prenumerata"), "cs": ("odebírat", "přihlásit k odběru"),
        "tr": ("abone ol", "bültene kaydol"), "ru": ("подписаться", "подпишитесь"), "uk": ("підписатися",),
        "ja": ("購読", "会員登録", "ニュースレター"), "zh": ("订阅", "訂閱"), "ko": ("구독", "구독하기"),
    },
    "cookie": {
        "en": ("we use cookies", "this site uses cookies", "this website uses cookies", "cookies", "cookie settings",
               "cookie policy", "accept all", "accept cookies", "accept", "manage preferences", "privacy policy",
               "we value your privacy", "by continuing", "consent"),
        "de": ("wir verwenden cookies", "diese website verwendet cookies", "alle akzeptieren", "akzeptieren",
               "cookie-einstellungen", "datenschutz", "datenschutzerklärung", "einwilligung", "zustimmen"),
        "fr": ("nous utilisons des cookies", "ce site utilise des cookies", "tout accepter", "accepter",
               "paramètres des cookies", "politique de confidentialité"),
        "es": ("utilizamos cookies", "este sitio utiliza cookies", "aceptar", "aceptar todo",
               "política de privacidad", "configuración de cookies"),
        "it": ("utilizziamo i cookie", "accetta", "accetta tutti", "informativa sulla privacy"),
        "pt": ("utilizamos cookies", "aceitar", "política de privacidade"),
        "nl": ("wij gebruiken cookies", "accepteren", "alles accepteren"), "sv": ("vi använder cookies", "godkänn"),
        "no": ("vi bruker informasjonskapsler", "godta"), "da": ("vi bruger cookies", "accepter"),
        "fi": ("käytämme evästeitä", "hyväksy", "evästeet"), "pl": ("używamy plików cookie", "akceptuję"),
        "cs": ("používáme cookies", "souhlasím"), "tr": ("çerezler", "kabul et"), "ru": ("мы используем cookie", "принять"),
        "ja": ("クッキー", "同意する"), "zh": ("我们使用cookie", "同意"), "ko": ("쿠키", "동의"),
    },
    "comments": {
        "en": ("comments", "comment", "reply", "leave a comment", "leave a reply", "post a comment", "add a comment",
               "join the discussion", "show comments", "view comments", "load more comments", "log in to comment",
               "responses", "discussion"),
        "de": ("kommentare", "kommentar", "antworten", "kommentar schreiben", "diskussion", "kommentieren"),
        "fr": ("commentaires", "commentaire", "répondre", "laisser un commentaire", "réagir"),
        "es": ("comentarios", "comentario", "responder", "deja un comentario", "comentar"),
        "it": ("commenti", "commento", "rispondi", "lascia un commento"),
        "pt": ("comentários", "comentário", "responder", "deixe um comentário"),
        "nl": ("reacties", "reactie", "reageer", "beantwoorden"), "sv": ("kommentarer", "svara"),
        "no": ("kommentarer", "svar"), "da": ("kommentarer", "svar"), "fi": ("kommentit", "vastaa", "kommentoi"),
        "pl": ("komentarze", "odpowiedz", "skomentuj"), "cs": ("komentáře", "odpovědět", "diskuse"),
        "tr": ("yorumlar", "yorum yap", "yanıtla"), "ru": ("комментарии", "ответить"), "uk": ("коментарі",),
        "ja": ("コメント", "返信"), "zh": ("评论", "評論", "回复"), "ko": ("댓글",),
    },
    "ads": {
        "en": ("advertisement", "advertising", "sponsored", "sponsored content", "ad", "promoted", "partner content"),
        "de": ("anzeige", "werbung", "gesponsert"), "fr": ("publicité", "sponsorisé"), "es": ("publicidad", "patrocinado"),
        "it": ("pubblicità",), "pt": ("publicidade", "patrocinado"), "nl": ("advertentie",), "sv": ("annons",),
        "no": ("annonse",), "da": ("annonce",), "fi": ("mainos",), "pl": ("reklama",), "cs": ("reklama",),
        "tr": ("reklam",), "ru": ("реклама",), "ja": ("広告", "スポンサー"), "zh": ("广告", "廣告"), "ko": ("광고",),
    },
    "copyright": {
        "en": ("copyright", "all rights reserved"),  # and a paragraph that starts with "©"
        "de": ("alle rechte vorbehalten",), "fr": ("tous droits réservés",), "es": ("todos los derechos reservados",),
        "it": ("tutti i diritti riservati",), "pt": ("todos os direitos reservados",), "nl": ("alle rechten voorbehouden",),
        "fi": ("kaikki oikeudet pidätetään",), "pl": ("wszelkie prawa zastrzeżone",), "cs": ("všechna práva vyhrazena",),
        "tr": ("tüm hakları saklıdır",), "ru": ("все права защищены",), "ja": ("無断転載", "著作権"), "zh": ("版权所有", "版權所有"),
    },
    "navigation": {
        "en": ("home", "menu", "search", "log in", "sign in", "login", "register", "skip to content",
               "skip to main content", "back to top", "next", "previous", "main menu", "navigation", "close",
               "open menu", "toggle navigation", "sitemap", "contact us", "about us", "terms of use", "imprint"),
        "de": ("startseite", "suche", "anmelden", "menü", "zum inhalt springen", "nach oben", "impressum", "kontakt",
               "schließen", "weiter", "zurück"),
        "fr": ("accueil", "rechercher", "connexion", "se connecter", "aller au contenu", "fermer", "mentions légales"),
        "es": ("inicio", "buscar", "iniciar sesión", "ir al contenido", "cerrar", "aviso legal", "contacto"),
        "it": ("home page", "cerca", "accedi", "chiudi"), "pt": ("início", "pesquisar", "entrar", "fechar"),
        "nl": ("zoeken", "inloggen", "sluiten"), "sv": ("sök", "logga in", "stäng"), "no": ("søk", "logg inn"),
        "da": ("søg", "log ind"), "fi": ("etusivu", "haku", "kirjaudu", "sulje"), "pl": ("szukaj", "zaloguj", "zamknij"),
        "cs": ("hledat", "přihlásit"), "tr": ("ana sayfa", "giriş yap"), "ru": ("главная", "поиск", "войти"),
        "ja": ("ホーム", "検索", "ログイン", "メニュー"), "zh": ("首页", "搜索", "登录", "首頁", "登入"), "ko": ("홈", "검색", "로그인"),
    },
}
KINDS: tuple[str, ...] = tuple(CUES)
MAX_WORDS = 6                       # a phrase is matched on its first words, at most this many
_P = np.uint64(1000003)             # the base of the polynomial hash of a paragraph's first words


def _prefix_hash(words: np.ndarray) -> np.ndarray:
    """Polynomial hash (mod 2**64) of word hashes (rows: sequences, columns: positions)."""
    h = np.zeros(len(words), dtype=np.uint64)
    for j in range(words.shape[1]):
        h = h * _P + words[:, j].astype(np.uint64)
    return h


@lru_cache(maxsize=1)
def _table() -> tuple[np.ndarray, np.ndarray]:
    """Sorted keys (hash of a phrase's first words, times 8, plus their number) and each key's kinds as bits."""
    found: dict[int, int] = {}
    for bit, kind in enumerate(KINDS):
        for phrases in CUES[kind].values():
            for phrase in phrases:
                words = [zlib.crc32(w.encode()) for w in WORD.findall(phrase.lower())][:MAX_WORDS]
                if words:
                    h = int(_prefix_hash(np.array([words], dtype=np.uint64))[0])
                    key = (h * 8 + len(words)) % 2 ** 64
                    found[key] = found.get(key, 0) | 1 << bit
    keys = np.array(sorted(found), dtype=np.uint64)
    return keys, np.array([found[int(k)] for k in keys], dtype=np.int64)


def cue_flags(tok_hash: np.ndarray, tok_start: np.ndarray, n_words: np.ndarray, first_char: np.ndarray) -> np.ndarray:
    """For each paragraph (rows) and kind (columns, in ``KINDS`` order), 1.0 if its first words are a cue phrase of
    that kind (from the batch's word hashes, as ``features.scan_batch`` gives them); a paragraph starting with
    "©" is a copyright line."""
    n = len(n_words)
    keys, kinds = _table()
    bits = np.zeros(n, dtype=np.int64)
    if len(tok_hash):
        pos = np.minimum(tok_start[:, None] + np.arange(MAX_WORDS), len(tok_hash) - 1)
        words = tok_hash[pos].astype(np.uint64)
        h = np.zeros(n, dtype=np.uint64)
        for k in range(1, MAX_WORDS + 1):
            h = h * _P + words[:, k - 1]
            key = h * np.uint64(8) + np.uint64(k)
            at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            bits |= np.where((keys[at] == key) & (n_words >= k), kinds[at], 0)
    bits |= np.where(first_char == ord("©"), 1 << KINDS.index("copyright"), 0)
    return ((bits[:, None] >> np.arange(len(KINDS))) & 1).astype(np.float64)


#: A heading that opens a comment thread: its whole text (40 characters at most) is "Comments", "Reader
#: comments:", "Comments (3)", "12 Comments", "1 Response" (or "Kommentare", "Commentaires", "Comentarios",
#: "Commenti", "Reacties"); not "Comment" or "Responses" alone, an article's own sub-headings (and the opinion
#: pages of British papers).
_THREAD_WORDS = r"comments|kommentare|commentaires|comentarios|commenti|reacties"
_COUNT = r"\d+(?:[,.]\d{3})*"  # 12, 1,234: not "1." before a numbered section's heading
COMMENT_HEADING = re.compile(rf"(?:(?:reader\s+|user\s+)?(?:{_THREAD_WORDS}|replies)"
                             rf"|{_COUNT}\s+(?:{_THREAD_WORDS}|comment|responses?|repl(?:y|ies)))(?:\s*\(\d+\))?\s*:?",
                             re.IGNORECASE)


#: ... or a count that introduces the thread, as blog themes write it (200 characters at most): "53 Responses to
#: “1,400 Rectangles”", "12 thoughts on “...”" (the title quoted, and no sentence: not "3 comments on the budget
#: were filed", nor '3 responses to "the crisis" were received.'), "{ 53 comments… read them below or add one }",
#: "53 Comments »".
THREAD_INTRO = re.compile(rf"(?!.*\.\s*$)\{{?\s*{_COUNT}\s+(?:comments?|responses?|replies|reply|thoughts?)"
                          # the title quoted (quotes inside it too), then at most a separated tail: "| Leave a Comment!"
                          r"(?:\s+(?:to|on)\s+[“\"'‘«„].{1,150}[”\"'’»“](?:\s*[|:–—-].{0,60})?"
                          r"|\s*(?:…|\.\.\.)\s*read them below[^.!?]*|\s*»)\s*\}?", re.IGNORECASE)


def is_comment_heading(text: str) -> bool:
    """Whether a paragraph (or an HTML heading's text) is a comment thread's heading (``COMMENT_HEADING``,
    ``THREAD_INTRO``)."""
    if len(text) > 200:
        return False
    text = text.strip()
    return (len(text) <= 40 and COMMENT_HEADING.fullmatch(text) is not None) or THREAD_INTRO.fullmatch(text) is not None
