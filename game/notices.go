package game

import (
	"fmt"
	"unicode/utf8"
)

// Bounds of the notices that outside input adds, such as the messages of
// rejected URL parameters. A message quotes the rejected value, so a
// hostile link could otherwise make the notice box, and the wrapping that
// it redoes in every frame, as large as the URL.
const (
	MaxNotices     = 8   // messages shown, besides the count of the rest
	MaxNoticeBytes = 320 // bytes of one message, with "..." for the cut
)

// ShortenNotices returns msgs with each message shortened to
// MaxNoticeBytes. A long message keeps its start and its end, because a
// rejection names the value first and the accepted values last.
func ShortenNotices(msgs []string) []string {
	if msgs == nil {
		return nil
	}
	out := make([]string, len(msgs))
	for i, m := range msgs {
		out[i] = shortenNotice(m)
	}
	return out
}

// LimitNotices returns msgs with each message shortened to MaxNoticeBytes
// and at most MaxNotices of them, followed by a message that counts the
// rest, for the notice box and Status.Error. Status.Errors lists them all.
func LimitNotices(msgs []string) []string {
	if msgs == nil {
		return nil
	}
	n := min(len(msgs), MaxNotices)
	out := ShortenNotices(msgs[:n])
	if rest := len(msgs) - n; rest > 0 {
		out = append(out, fmt.Sprintf("and %d more messages, listed in status().errors", rest))
	}
	return out
}

// shortenNotice returns msg, or for a message longer than MaxNoticeBytes
// its first and last bytes joined by "...", cut at rune boundaries.
func shortenNotice(msg string) string {
	if len(msg) <= MaxNoticeBytes {
		return msg
	}
	const cut = "..."
	tail := MaxNoticeBytes / 3
	head := MaxNoticeBytes - tail - len(cut)
	for head > 0 && !utf8.RuneStart(msg[head]) {
		head--
	}
	start := len(msg) - tail
	for start < len(msg) && !utf8.RuneStart(msg[start]) {
		start++
	}
	return msg[:head] + cut + msg[start:]
}
