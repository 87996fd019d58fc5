from cleanlib.learn.align import Gold, label_paragraphs

GOLD = Gold(
    main_text="The council approved the new bridge on Monday after a long debate.\n\nWhat happens next\n\n"
              "Work will start in the spring and last two years, officials said.",
    title="Council approves the new bridge", author="Jane Doe", date="2024-03-05")


def test_rule_labels_content_meta_and_boilerplate():
    paras = ["Home | News | Sport", "Council approves the new bridge", "By Jane Doe", "March 5, 2024",
             "The council approved the new bridge on Monday after a long debate.", "What happens next",
             "Work will start in the spring and last two years, officials said.",
             "Share this", "The council meets again next week",  # shares words, not 4-word runs
             "Council approves the new bridge"]                    # the title again past the first half
    assert label_paragraphs(paras, GOLD) == [
        "boilerplate", "meta", "meta", "meta", "content", "content", "content", "boilerplate", "boilerplate",
        "boilerplate"]


def test_date_spellings():
    for s in ("5 March 2024", "2024-03-05", "03/05/2024", "Published Mar. 5th, 2024"):
        assert label_paragraphs([s], GOLD) == ["meta"], s
    assert label_paragraphs(["March 6, 2024"], GOLD) == ["boilerplate"]


def test_dates_and_authors_after_the_body_are_not_meta():
    paras = ["By Jane Doe", "The council approved the new bridge on Monday after a long debate.",
             "Work will start in the spring and last two years, officials said.", "Comments", "Share",
             "Reader42\nMarch 5, 2024, 9:59 pm"]
    assert label_paragraphs(paras, GOLD) == ["meta", "content", "content", "boilerplate", "boilerplate", "boilerplate"]
