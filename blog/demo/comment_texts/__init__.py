"""Hand-written comment texts and commenters for the demo threads.

Plain data, written for Riposte in the manner of an old argumentative comment
section (people citing each other by hand as "@ 12", "#40" or a pasted footer).
`blog.demo.comment_plan` arranges them into threads; nothing here touches the
database. Texts may use `{name}` for the name of the person answered.
"""
