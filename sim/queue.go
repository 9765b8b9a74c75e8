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
