package main

import (
	"bufio"
	"io"
	"sync"
	"time"
)

// logWriter buffers log lines and writes them out at least every interval
// (and whenever 64 KiB have gathered), so a server answering tens of
// thousands of requests a second makes a few write calls a second for its
// access log instead of one per request. At most one interval of lines is
// lost if the process is killed; Close flushes what is left.
type logWriter struct {
	mu   sync.Mutex
	buf  *bufio.Writer
	done chan struct{}
	wg   sync.WaitGroup
}

func newLogWriter(w io.Writer, interval time.Duration) *logWriter {
	l := &logWriter{buf: bufio.NewWriterSize(w, 64<<10), done: make(chan struct{})}
	l.wg.Add(1)
	go func() {
		defer l.wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				l.flush()
			case <-l.done:
				l.flush()
				return
			}
		}
	}()
	return l
}

// Write keeps one log line whole: slog writes each record in one call.
func (l *logWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logWriter) flush() {
	l.mu.Lock()
	defer l.mu.Unlock()
	_ = l.buf.Flush()
}

// Close stops the flusher and writes out what is buffered.
func (l *logWriter) Close() error {
	close(l.done)
	l.wg.Wait()
	return nil
}
