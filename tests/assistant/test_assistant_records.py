

def test_at_equal_match_a_single_lead_ranks_before_a_set_of_bodies():
    from assistant.records import answer_from_records
    from ingest.types import ResponsibilityRecord

    districts = ResponsibilityRecord(document="p.txt", province="Bắc Kạn", task="Tổ chức đào tạo nghề cho lao động nông thôn",
                                     lead=("Ủy ban nhân dân các huyện, thị xã, thành phố",), coordinators=(),
                                     deadline="", budget="", quote="x", section="")
    department = ResponsibilityRecord(document="p.txt", province="Bắc Kạn", task="Tổ chức đào tạo nghề cho lao động nông thôn",
                                      lead=("Sở Lao động - Thương binh và Xã hội",), coordinators=(),
                                      deadline="", budget="", quote="y", section="")
    matches = answer_from_records("Ai chủ trì đào tạo nghề cho lao động nông thôn?", [districts, department])
    assert [m.record.lead[0] for m in matches][:1] == ["Sở Lao động - Thương binh và Xã hội"]
