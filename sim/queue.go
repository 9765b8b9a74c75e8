package sim

// readyQueue is the loop's _ready deque: a growable ring of handles.
type readyQueue struct {
	buf  []handle
	head int
	n    int
}

func (q *readyQueue) push(h handle) {
	if q.n == len(q.buf) {
		grown := make([]handle, max(16, 2*len(q.buf)))
		for i := 0; i < q.n; i++ {
			grown[i] = q.buf[(q.head+i)&(len(q.buf)-1)]
		}
		q.buf, q.head = grown, 0
	}
	q.buf[(q.head+q.n)&(len(q.buf)-1)] = h
	q.n++
}

func (q *readyQueue) pop() handle {
	h := q.buf[q.head]
	q.head = (q.head + 1) & (len(q.buf) - 1)
	q.n--
	return h
}

// sharedList is the list the tasks append to. Each holder reads the list when
// it acquires and writes back what it read plus its value when it releases:
// with mutual exclusion that is a plain append; without, a write-back drops
// whatever others appended in between (a lost update). Only the length and the
// newest entries are kept, so memory stays constant however long the run.
type sharedList struct {
	length, appends int64
	tail            [sharedTail]SharedItem
	pos             [sharedTail]int64
	n, head         int
}

const sharedTail = 256

// SharedItem is one value of the shared list and the task that appended it.
type SharedItem struct {
	Value int32
	Task  int32
}

func (s *sharedList) write(readLen int64, v, task int32) {
	s.appends++
	// Entries at or past readLen are the ones this write-back overwrites.
	for s.n > 0 && s.pos[(s.head+s.n-1)%sharedTail] >= readLen {
		s.n--
	}
	i := (s.head + s.n) % sharedTail
	if s.n == sharedTail {
		s.head = (s.head + 1) % sharedTail
	} else {
		s.n++
	}
	s.tail[i], s.pos[i] = SharedItem{Value: v, Task: task}, readLen
	s.length = readLen + 1
}

// newest copies up to k of the newest entries, oldest first, into dst.
func (s *sharedList) newest(dst []SharedItem, k int) []SharedItem {
	k = min(k, s.n)
	for i := s.n - k; i < s.n; i++ {
		dst = append(dst, s.tail[(s.head+i)%sharedTail])
	}
	return dst
}
