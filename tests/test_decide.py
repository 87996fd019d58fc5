"""What clean() keeps: the threshold, the rescue of a document where nothing reaches it, and the prose next to
what a short text keeps."""
import numpy as np

from cleanlib.core.decide import (PROSE_WORDS, RESCUE_WORDS, SHORT_FLOOR, SHORT_PROSE, THREAD_WORDS, comment_heads,
                                  kept)

PROSE = " ".join(["word"] * RESCUE_WORDS)
SHORT = "Share this"


def test_threshold_alone_where_a_paragraph_reaches_it():
    docs = [[PROSE, PROSE, SHORT] + [PROSE] * SHORT_PROSE]  # not a short text: the prose beside a kept one stays out
    got = kept(np.array([0.9, 0.3, 0.6] + [0.1] * SHORT_PROSE), docs, 0.5)
    assert got.tolist() == [True, False, True] + [False] * SHORT_PROSE


def test_a_short_text_keeps_the_prose_next_to_what_it_keeps():
    body = " ".join(["word"] * PROSE_WORDS)
    docs = [["Title", body, body, SHORT], ["Title", body, body, body], ["Title", PROSE, SHORT, body]]
    score = np.array([0.3, 0.9, SHORT_FLOOR + 0.01, 0.3] + [0.1, 0.9, SHORT_FLOOR - 0.01, 0.9] + [0.1, 0.9, 0.3, 0.4])
    got = kept(score, docs, 0.5).tolist()
    assert got[:4] == [False, True, True, False]     # the doubted second paragraph; not the short lines
    assert got[4:8] == [False, True, False, True]    # below the floor
    assert got[8:] == [False, True, False, False]    # not next to a kept paragraph
    assert kept(score, docs, 0.5, rescue=False).tolist() == (score >= 0.5).tolist()
    three = [["Title", body, body, body, body]]      # a text that keeps three paragraphs is left as it is
    assert kept(np.array([0.1, 0.9, 0.9, 0.9, 0.3]), three, 0.5).tolist() == [False, True, True, True, False]


def test_the_short_text_rule_reaches_one_paragraph_each_side_within_its_document():
    body = " ".join(["word"] * PROSE_WORDS)
    # at the floor itself: kept; the paragraph before a newly kept one: not (one step, from the threshold's own)
    docs = [[body, body, body], [body, SHORT, PROSE]]
    score = np.array([0.3, SHORT_FLOOR, 0.9] + [0.3, 0.1, 0.9])
    got = kept(score, docs, 0.5).tolist()
    assert got[:3] == [False, True, True]
    assert got[3:] == [False, False, True]            # not next to the other document's kept paragraph
    short_words = " ".join(["word"] * (PROSE_WORDS - 1))
    assert kept(np.array([0.9, 0.3]), [[body, short_words]], 0.5).tolist() == [True, False]
    cjk = "这" * PROSE_WORDS                           # a CJK character counts as a word
    assert kept(np.array([0.9, 0.3]), [[body, cjk]], 0.5).tolist() == [True, True]


def test_rescue_keeps_the_best_prose_of_a_document_that_keeps_nothing():
    docs = [[SHORT, PROSE, PROSE, PROSE, SHORT], [PROSE, SHORT]]
    score = np.array([0.45, 0.40, 0.20, 0.10, 0.30, 0.8, 0.1])
    got = kept(score, docs, 0.5)
    # document 0: its best is 0.45 (a short line, never rescued); prose at >= 0.3 * 0.45 is kept, 0.10 is not
    assert got.tolist() == [False, True, True, False, False, True, False]
    assert kept(score, docs, 0.5, rescue=False).tolist() == [False] * 5 + [True, False]


def test_the_rescue_keeps_its_best_paragraph_from_fewer_words():
    short_prose = " ".join(["word"] * PROSE_WORDS)  # a one-paragraph article of 20 words between a menu and a prompt
    docs = [[SHORT, short_prose, SHORT], [SHORT, PROSE, short_prose]]
    got = kept(np.array([0.1, 0.45, 0.05] + [0.1, 0.45, 0.40]), docs, 0.5).tolist()
    assert got == [False, True, False] + [False, True, False]  # the second page's 20-word paragraph is not its best
    fewer = " ".join(["word"] * (PROSE_WORDS - 1))
    assert not kept(np.array([0.45]), [[fewer]], 0.5).any()


def test_the_rescue_keeps_a_short_article_of_short_paragraphs_as_a_run():
    lines = ["People from all over the world are coming to see the games.",  # 12 words each: none is prose
             "A couple from Idaho are among the thousands making the long trip.",
             "They made a home-made movie about their preparations for the visit."]
    page = ["Skip to content", "News", *lines, "Play Trapped by battle", "Terms of Use"]
    score = np.array([0.02, 0.03, 0.32, 0.25, 0.41, 0.03, 0.01])
    assert kept(score, [page], 0.5).tolist() == [False, False, True, True, True, False, False]
    assert not kept(score, [page], 0.5, rescue=False).any()
    alone = ["Skip to content", lines[2], "Terms of Use"]  # one short paragraph: no run, nothing kept
    assert not kept(np.array([0.02, 0.41, 0.01]), [alone], 0.5).any()
    menu = ["Home", "News", "Sport", "Weather", "Contact us"]  # items under RUN_WORDS words never make a run
    assert not kept(np.array([0.3, 0.35, 0.4, 0.3, 0.3]), [menu], 0.5).any()
    cut = ["Skip to content", lines[0], lines[1], "Share this", lines[2], "Terms of Use"]  # the run stops at a short line
    assert not kept(np.array([0.02, 0.32, 0.25, 0.3, 0.41, 0.01]), [cut], 0.5).any()


def test_a_document_keeping_fewer_words_than_the_rescue_needs_is_rescued_as_one_keeping_none():
    stray = "Posted in News by Admin"  # a header line kept while the short article under it is doubted
    docs = [[stray, PROSE, PROSE, SHORT], [stray, PROSE, PROSE]]
    score = np.array([0.7, 0.15, 0.12, 0.10] + [0.7, 0.15, 0.04])  # below SHORT_FLOOR: the short-text rule keeps none
    got = kept(score, docs, 0.5).tolist()
    assert got[:4] == [True, True, True, False]   # the prose the rescue would keep were nothing kept joins the line
    assert got[4:] == [True, True, False]         # 0.04 is below the rescue's floor
    enough = " ".join(["word"] * RESCUE_WORDS)     # what is kept holds RESCUE_WORDS words: the threshold alone
    assert kept(np.array([0.7, 0.15, 0.15]), [[enough, PROSE, PROSE]], 0.5).tolist() == [True, False, False]
    two_lines = " ".join(["word"] * (RESCUE_WORDS // 2))
    split = kept(np.array([0.7, 0.7, 0.15, 0.15]), [[two_lines, two_lines, PROSE, PROSE]], 0.5).tolist()
    assert split == [True, True, False, False]    # words are counted over every kept paragraph
    assert kept(np.array([0.7, 0.4]), [[stray, "Home | News"]], 0.5).tolist() == [True, False]  # no prose to rescue


def test_no_rescue_of_a_page_without_prose_or_below_the_floor():
    docs = [[SHORT, SHORT, "Home | News | Sport"], [PROSE, PROSE]]
    score = np.array([0.4, 0.3, 0.2, 0.04, 0.03])
    assert not kept(score, docs, 0.5).any()


def test_no_rescue_of_text_that_is_not_written_in_words():
    # random bytes, decoded, hold about 60% word characters and spaces: no prose, however many "words" they hold;
    # prose with its punctuation, CJK text and the wordy share's bound itself are prose
    import random

    garbage = random.Random(0).randbytes(3000).decode("cp1252", "replace")
    assert not kept(np.array([0.2]), [[garbage]], 0.5).any()
    symbols = " ".join(["a;"] * PROSE_WORDS)  # words, and as many symbols as letters: 67% wordy
    assert not kept(np.array([0.2]), [[symbols]], 0.5).any()
    punctuated = "“Yes,” she said — twice — “we will (probably) build it by 2027!” " * 3
    assert kept(np.array([0.2, 0.2]), [[punctuated], ["这是一篇很短的新闻报道内容。" * 3]], 0.5).all()


def test_empty_documents_and_batches():
    docs = [[], [PROSE], []]
    assert kept(np.array([0.2]), docs, 0.5).tolist() == [True]
    assert kept(np.zeros(0), [], 0.5).tolist() == []


def test_cjk_characters_count_as_words():
    docs = [["这是一篇很短的新闻报道内容。" * 3]]
    assert kept(np.array([0.2]), docs, 0.5).tolist() == [True]


def test_vetoed_paragraphs_are_dropped_where_the_document_keeps_enough_without_them():
    docs = [[PROSE, PROSE, SHORT], [SHORT, PROSE, PROSE]]
    score = np.array([0.9, 0.9, 0.9, 0.9, 0.9, 0.9])
    vetoed = np.array([False, True, True, False, True, True])
    got = kept(score, docs, 0.5, vetoed=vetoed).tolist()
    assert got[:3] == [True, False, False]   # the body keeps 30 words outside the comments: they go
    assert got[3:] == [True, True, True]     # a thread page (3 words outside): its posts are its content
    assert kept(score, docs, 0.5).tolist() == [True] * 6
    assert kept(score, docs, 0.5, vetoed=np.zeros(6, bool)).tolist() == [True] * 6


def test_a_comment_heading_after_the_article_closes_it():
    article = " ".join(["word"] * THREAD_WORDS)
    lead = " ".join(["word"] * (THREAD_WORDS - 1))
    docs = [["Title", article, "12 Comments", PROSE, "Posted by: Ellen at 11:40 AM", PROSE],
            ["Title", lead, "3 Comments", PROSE, "Comments", PROSE],  # a count under a lead cuts nothing
            ["Comments", "First!", PROSE[:40]],                          # a thread alone: nothing kept before
            [PROSE, "Comment", PROSE]]                                   # an article's sub-heading
    heads = comment_heads(docs)
    assert np.flatnonzero(heads).tolist() == [2, 8, 10, 12]
    score = np.array([0.3, 0.9, 0.6, 0.9, 0.6, 0.9,  0.3, 0.9, 0.6, 0.9, 0.6, 0.9,  0.6, 0.9, 0.9,  0.9, 0.6, 0.9])
    got = kept(score, docs, 0.5, threads=True).tolist()
    assert got[:6] == [False, True, False, False, False, False]
    assert got[6:12] == [False, True, True, True, False, False]
    assert got[12:15] == [True, True, True]
    assert got[15:] == [True, True, True]
    assert kept(score, docs, 0.5).tolist() == (score >= 0.5).tolist()  # without heads, the threshold alone
    # blog themes' counts that introduce a thread, and sentences that only look like them
    intros = ["53 Responses to “1,400 Rectangles”", "{ 53 comments… read them below or add one }",
              "12 thoughts on \"Hi\"", "53 Comments »", "Kommentare (4)",
              "34 responses to “Anthony Lynn: “We needed to win this game””",  # quotes inside the title
              "45 Comments to “Make Movies from Your Photos” | Leave a Comment!"]  # a separated tail
    others = ["3 comments on the budget were filed by the council, officials said.", "Comments »", "Comment",
              "Responses", "Comments are closed.", "Recent Comments", "12 Comments " + "x" * 200,
              "1. Comments", "10 thoughts on “The Wire” that will change TV",
              '3 responses to "the crisis" were received by the ministry.']
    assert comment_heads([intros, others]).tolist() == [True] * len(intros) + [False] * len(others)


def test_the_third_pass_reads_every_paragraph_a_decision_could_keep():
    from cleanlib.core import decide
    from cleanlib.core.scoring import VETO_FROM

    # a paragraph under VETO_FROM keeps the second pass's score: no rule may keep one that low
    assert VETO_FROM <= min(decide.RESCUE_FLOOR, decide.SHORT_FLOOR)


def test_a_text_of_one_paragraph_is_kept_only_if_written_in_words():
    docs = [["\u00f5\u00b1e\"JX\u00b7\u2018\u00dfj\u00f1\u00d8\u00bf\u00f0B\u00ab\u00a7~|{}"],
            ["The mayor said the bridge would reopen next week."], ["Home", "\u00f5\u00b1\u00b7\u2018\u00d8\u00bf\u00ab"]]
    score = np.array([0.9, 0.9, 0.1, 0.9])
    assert kept(score, docs, 0.5).tolist() == [False, True, False, True]  # only a text of one paragraph is gated
    assert kept(score, docs, 0.5, rescue=False).tolist() == [True, True, False, True]  # the threshold alone
    assert kept(score, docs, 0.0).all()  # threshold 0 keeps everything
