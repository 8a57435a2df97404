// Command kubelet-standin answers kube-apiserver where a node's kubelet would, for the streaming endpoints only
// (exec, attach, port-forward), so that the runtime's streams can be tested against a live kube-apiserver without
// containers. The protocols are the Kubernetes modules' own (k8s.io/cri-streaming: SPDY and WebSocket, as the kubelet
// serves them); what runs behind them is a tiny runtime of built-in commands and loopback ports.
//
//	kubelet-standin --cert FILE --key FILE --client-ca FILE [--listen 127.0.0.1:0]
//
// It prints "listening on HOST:PORT" once it accepts connections, and serves until SIGTERM or SIGINT.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"k8s.io/cri-streaming/pkg/streaming/portforward"
	"k8s.io/cri-streaming/pkg/streaming/remotecommand"
	utilexec "k8s.io/utils/exec"
)

const (
	idleTimeout           = 5 * time.Minute
	streamCreationTimeout = remotecommand.DefaultStreamCreationTimeout
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	certFile := flag.String("cert", "", "serving certificate (PEM)")
	keyFile := flag.String("key", "", "serving key (PEM)")
	clientCA := flag.String("client-ca", "", "CA whose client certificates may call (kube-apiserver's --kubelet-client-certificate)")
	flag.Parse()
	if err := serve(*listen, *certFile, *keyFile, *clientCA); err != nil {
		fmt.Fprintln(os.Stderr, "kubelet-standin:", err)
		os.Exit(1)
	}
}

// serve listens with TLS that requires a client certificate from clientCA: the stand-in runs commands and dials
// loopback ports, so only kube-apiserver may reach it.
func serve(listen, certFile, keyFile, clientCA string) error {
	if certFile == "" || keyFile == "" || clientCA == "" {
		return errors.New("--cert, --key and --client-ca are required")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return fmt.Errorf("serving certificate: %w", err)
	}
	caPEM, err := os.ReadFile(clientCA)
	if err != nil {
		return fmt.Errorf("--client-ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("--client-ca %s holds no PEM certificate", clientCA)
	}
	listener, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	server := &http.Server{
		Handler:           logRequests(routes(&runtime{})),
		ReadHeaderTimeout: 30 * time.Second,
		TLSConfig:         &tls.Config{Certificates: []tls.Certificate{cert}, ClientAuth: tls.RequireAndVerifyClientCert, ClientCAs: pool, MinVersion: tls.VersionTLS12},
		// Upgrades (SPDY, WebSocket) need HTTP/1.1: no HTTP/2.
		TLSNextProto: map[string]func(*http.Server, *tls.Conn, http.Handler){},
	}
	go stopOnSignal(server)
	fmt.Printf("listening on %s\n", listener.Addr())
	if err := server.ServeTLS(listener, "", ""); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func stopOnSignal(server *http.Server) {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	<-signals
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = server.Shutdown(ctx)
	_ = server.Close() // hijacked streams are not closed by Shutdown
}

// routes are the kubelet's paths as kube-apiserver builds them (pkg/registry/core/pod/strategy.go).
func routes(rt *runtime) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	mux.HandleFunc("/exec/{namespace}/{pod}/{container}", func(w http.ResponseWriter, req *http.Request) {
		options, ok := streamOptions(w, req)
		if !ok {
			return
		}
		remotecommand.ServeExec(w, req, rt, podName(req), "", req.PathValue("container"), req.URL.Query()["command"], options,
			idleTimeout, streamCreationTimeout, remotecommand.SupportedStreamingProtocols)
	})
	mux.HandleFunc("/attach/{namespace}/{pod}/{container}", func(w http.ResponseWriter, req *http.Request) {
		options, ok := streamOptions(w, req)
		if !ok {
			return
		}
		remotecommand.ServeAttach(w, req, rt, podName(req), "", req.PathValue("container"), options,
			idleTimeout, streamCreationTimeout, remotecommand.SupportedStreamingProtocols)
	})
	mux.HandleFunc("/portForward/{namespace}/{pod}", func(w http.ResponseWriter, req *http.Request) {
		options, err := portforward.NewV4Options(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		portforward.ServePortForward(w, req, rt, podName(req), "", options, idleTimeout, streamCreationTimeout, portforward.SupportedProtocols)
	})
	return mux
}

// logRequests prints one line per request with how it asks to be upgraded, so tests can tell whether kube-apiserver
// passed a client's WebSocket through or translated it to SPDY.
func logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		protocols := append(req.Header.Values("X-Stream-Protocol-Version"), req.Header.Values("Sec-Websocket-Protocol")...)
		fmt.Printf("request %s %s upgrade=%q protocols=%q\n", req.Method, req.URL.Path, req.Header.Get("Upgrade"), strings.Join(protocols, ","))
		next.ServeHTTP(w, req)
	})
}

func podName(req *http.Request) string {
	return req.PathValue("namespace") + "/" + req.PathValue("pod")
}

func streamOptions(w http.ResponseWriter, req *http.Request) (*remotecommand.Options, bool) {
	options, err := remotecommand.NewOptions(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return nil, false
	}
	return options, true
}

// runtime is the stand-in's container runtime: built-in commands for exec, an uppercasing echo for attach, and
// loopback TCP for port-forward.
type runtime struct{}

// ExecInContainer runs one built-in command:
//
//	echo ARGS...     ARGS joined by spaces, then a newline, on stdout
//	cat              stdin to stdout until stdin ends
//	stderr ARGS...   ARGS on stderr
//	exit N [ARGS...] ARGS on stderr, then exit code N
//	tty-size N       with a terminal: waits for N resizes and prints each as WIDTHxHEIGHT
//	count            reads stdin to its end and prints how many bytes came
//
// Any other command fails as a missing executable does.
func (runtime) ExecInContainer(_ context.Context, _ string, _ string, _ string, cmd []string, in io.Reader, out, errOut io.WriteCloser, _ bool, resize <-chan remotecommand.TerminalSize, _ time.Duration) error {
	if len(cmd) == 0 {
		return errors.New("no command given")
	}
	args := cmd[1:]
	switch cmd[0] {
	case "echo":
		return writeLine(out, strings.Join(args, " "))
	case "cat":
		return copyInput(out, in)
	case "count":
		return countInput(out, in)
	case "stderr":
		return writeLine(errOut, strings.Join(args, " "))
	case "exit":
		return exitWith(errOut, args)
	case "tty-size":
		return reportResizes(out, resize, args)
	}
	return fmt.Errorf("exec: %q: executable file not found in $PATH", cmd[0])
}

func writeLine(w io.Writer, line string) error {
	if w == nil {
		return nil
	}
	_, err := io.WriteString(w, line+"\n")
	return err
}

func copyInput(out io.Writer, in io.Reader) error {
	if in == nil {
		return errors.New("stdin was not requested")
	}
	if out == nil {
		out = io.Discard
	}
	_, err := io.Copy(out, in)
	return err
}

func countInput(out io.Writer, in io.Reader) error {
	if in == nil {
		return errors.New("stdin was not requested")
	}
	n, err := io.Copy(io.Discard, in)
	if err != nil {
		return err
	}
	return writeLine(out, strconv.FormatInt(n, 10))
}

func exitWith(errOut io.Writer, args []string) error {
	if len(args) == 0 {
		return errors.New("exit needs a code")
	}
	code, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("exit: %q is not a number", args[0])
	}
	if len(args) > 1 {
		if err := writeLine(errOut, strings.Join(args[1:], " ")); err != nil {
			return err
		}
	}
	if code == 0 {
		return nil
	}
	return utilexec.CodeExitError{Err: fmt.Errorf("command terminated with exit code %d", code), Code: code}
}

func reportResizes(out io.Writer, resize <-chan remotecommand.TerminalSize, args []string) error {
	if resize == nil {
		return errors.New("tty-size needs a terminal (tty=true)")
	}
	want := 1
	if len(args) > 0 {
		n, err := strconv.Atoi(args[0])
		if err != nil {
			return fmt.Errorf("tty-size: %q is not a number", args[0])
		}
		want = n
	}
	for i := 0; i < want; i++ {
		size, ok := <-resize
		if !ok {
			return errors.New("the resize stream ended early")
		}
		if err := writeLine(out, fmt.Sprintf("%dx%d", size.Width, size.Height)); err != nil {
			return err
		}
	}
	return nil
}

// AttachContainer attaches to the container's built-in process, which says so on stderr and echoes its input in
// upper case until the input ends.
func (runtime) AttachContainer(_ context.Context, name string, _ string, container string, in io.Reader, out, errOut io.WriteCloser, _ bool, _ <-chan remotecommand.TerminalSize) error {
	if err := writeLine(errOut, fmt.Sprintf("attached to %s/%s", name, container)); err != nil {
		return err
	}
	if in == nil {
		return nil
	}
	if out == nil {
		_, err := io.Copy(io.Discard, in)
		return err
	}
	return upperCaseCopy(out, in)
}

func upperCaseCopy(out io.Writer, in io.Reader) error {
	buffer := make([]byte, 32*1024)
	for {
		n, err := in.Read(buffer)
		if n > 0 {
			if _, werr := out.Write([]byte(strings.ToUpper(string(buffer[:n])))); werr != nil {
				return werr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// PortForward connects the stream to 127.0.0.1:port, as if the pod's network namespace were the host's loopback.
func (runtime) PortForward(ctx context.Context, _ string, _ string, port int32, stream io.ReadWriteCloser) error {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(int(port))))
	if err != nil {
		return err
	}
	defer conn.Close()
	go func() {
		_, _ = io.Copy(conn, stream)
		// The client is done sending: pass the half-close on, so the server behind the port sees its input end.
		if tcp, ok := conn.(*net.TCPConn); ok {
			_ = tcp.CloseWrite()
		}
	}()
	// The session for this port ends when the server behind it closes its side.
	_, err = io.Copy(stream, conn)
	return err
}
