"""Whatever the text, the quantity and target readers keep exact offsets and never fail."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from graph_builder.extract.instruments import find_instruments
from graph_builder.extract.promise_spans import PromiseSpan
from graph_builder.extract.quantities import find_quantities
from graph_builder.extract.targets import read_targets

PIECES = [
    "2025年", "全年", "同时", "新增", "不少于", "超过", "以上", "左右", "以内", "个", "家", "%", "％",
    "万", "亿元", "元", "每件", "最高", "补贴", "奖励", "消费券", "给予", "按", "的", "标准", "对",
    "、", "，", "。", "（", "）", "“", "”", "分别", "二十", "两", "１５", "3.5", "-", "至", "第",
    "届", "1+X", "12315", "企业", "活动", "场", "人次",
]  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_targets_and_instruments_quote_the_text_for_any_sequence(pieces):
    text = "".join(pieces)
    for q in find_quantities(text):
        assert 0 <= q.start <= q.num_start < q.num_end <= q.end <= len(text)
    region = PromiseSpan(0, len(text), None, None)
    for t in read_targets(text, region, 2025):
        assert text[t.span.start : t.span.end] == t.span.text
        assert t.span.start <= t.value_span.start < t.value_span.end <= t.span.end
    for i in find_instruments(text, [region]):
        assert text[i.span.start : i.span.end] == i.span.text
