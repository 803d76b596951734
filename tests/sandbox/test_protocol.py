"""The wire: frames with a size cap, and control messages that refuse garbage."""

import os
import socket
import struct
import threading
from pathlib import Path

import numpy as np
import pytest

from autograder.sandbox import protocol


def test_frames_come_out_whole_however_the_bytes_are_split():
    stream = protocol.pack_frame(b"first") + protocol.pack_frame(b"") + protocol.pack_frame(b"third")
    reader = protocol.FrameReader(max_size=100)
    frames = []
    for byte in stream:
        reader.feed(bytes([byte]))
        while (frame := reader.next_frame()) is not None:
            frames.append(frame)
    assert frames == [b"first", b"", b"third"]


def test_requests_reach_the_child_as_the_grader_wrote_them():
    request = {"op": "call", "function": "cost", "args": [np.arange(3.0), 0.5, None, (1, "s")], "kwargs": {}}
    decoded = protocol.decode_request(protocol.encode_request(request))
    np.testing.assert_array_equal(decoded["args"][0], request["args"][0])
    assert decoded["args"][1:] == request["args"][1:] and decoded["function"] == "cost"


def test_the_grader_never_unpickles_what_a_child_sent():
    """Only the child reads requests with decode_request; the grader's side reads replies with the codec."""
    for name in ("connection.py", "subject.py"):  # where the grader reads a child's replies
        text = Path(protocol.__file__).with_name(name).read_text(encoding="utf-8")
        assert "decode_request" not in text and "pickle" not in text and "import marshal" not in text, name


def test_an_oversized_frame_is_refused_from_its_header_alone():
    reader = protocol.FrameReader(max_size=1024)
    with pytest.raises(protocol.ProtocolError, match="over the limit of 1024"):
        reader.feed(struct.pack("!I", 2**32 - 1))


def test_an_oversized_frame_behind_a_good_one_is_refused():
    reader = protocol.FrameReader(max_size=10)
    reader.feed(protocol.pack_frame(b"ok"))
    with pytest.raises(protocol.ProtocolError):
        reader.feed(struct.pack("!I", 11))


def test_read_frame_reports_a_closed_channel():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        theirs.sendall(protocol.pack_frame(b"hello"))
        theirs.close()
        assert protocol.read_frame(ours, 100) == b"hello"
        with pytest.raises(EOFError):
            protocol.read_frame(ours, 100)


class OneByteAtATime(socket.socket):
    """A socket whose every recvmsg returns at most one byte: a message comes in many pieces."""

    def recvmsg(self, bufsize, ancbufsize=0, flags=0):
        return super().recvmsg(min(bufsize, 1), ancbufsize, flags)


def _control_pair(trickle: bool = False) -> tuple[socket.socket, socket.socket]:
    """(sender, receiver): the stream socket pair the sandbox's control channels are."""
    sender, receiver = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    if trickle:
        receiver = OneByteAtATime(fileno=receiver.detach())
    return sender, receiver


def _other_write_ends_closed(read_end: int) -> bool:
    """No write end of this pipe is open any more (reading gives end-of-file instead of waiting)."""
    os.set_blocking(read_end, False)
    try:
        return os.read(read_end, 1) == b""
    except BlockingIOError:
        return False


def test_control_messages_carry_fds_and_are_read_one_at_a_time():
    sender, receiver = _control_pair()
    read_end, write_end = os.pipe()
    with sender, receiver:
        protocol.send_message(sender, {"op": "spawn"}, [write_end])
        protocol.send_message(sender, {"op": "kill"})
        message, fds = protocol.receive_message(receiver)
        assert message == {"op": "spawn"} and len(fds) == 1
        os.write(fds[0], b"x")
        assert os.read(read_end, 1) == b"x"
        assert protocol.wait_readable([receiver], 0) == [receiver]  # the second one is still in the socket
        assert protocol.receive_message(receiver) == ({"op": "kill"}, [])
    for fd in (read_end, write_end, *fds):
        os.close(fd)


def test_a_message_in_many_pieces_arrives_whole_with_its_fds():
    sender, receiver = _control_pair(trickle=True)
    read_end, write_end = os.pipe()
    with sender, receiver:
        frame = protocol.pack_frame(b'{"op": "spawn", "config": {"n": 1}}')
        socket.send_fds(sender, [frame[:3]], [write_end])  # the fd comes with the first bytes...
        sender.sendall(frame[3:])  # ...the rest in a second send
        protocol.send_message(sender, {"op": "kill"})
        message, fds = protocol.receive_message(receiver)
        assert message == {"op": "spawn", "config": {"n": 1}} and len(fds) == 1
        assert protocol.receive_message(receiver) == ({"op": "kill"}, [])
    os.close(write_end)
    os.close(fds[0])
    assert _other_write_ends_closed(read_end)
    os.close(read_end)


def test_a_message_larger_than_the_socket_buffer_arrives_whole():
    sender, receiver = _control_pair()
    read_end, write_end = os.pipe()
    big = {"hide": ["x" * 1000] * 800}  # 800 kB: several sends and recvs
    with sender, receiver:
        thread = threading.Thread(target=protocol.send_message, args=(sender, big, [write_end, read_end]))
        thread.start()
        message, fds = protocol.receive_message(receiver)
        thread.join()
    assert message == big and len(fds) == 2
    for fd in (read_end, write_end, *fds):
        os.close(fd)


@pytest.mark.parametrize("garbage", [b"\xff\xfe not json", b"[1, 2, 3]", b"\"a string\"", b""])
def test_a_control_message_that_is_not_a_json_object_is_refused_and_its_fds_closed(garbage):
    sender, receiver = _control_pair(trickle=True)
    read_end, write_end = os.pipe()
    with sender, receiver:
        socket.send_fds(sender, [protocol.pack_frame(garbage)], [write_end])
        os.close(write_end)
        with pytest.raises(protocol.ProtocolError):
            protocol.receive_message(receiver)
    assert _other_write_ends_closed(read_end)  # the copy that came with the message was closed
    os.close(read_end)


def test_an_oversized_control_message_is_refused_from_its_header_and_its_fds_closed():
    sender, receiver = _control_pair()
    read_end, write_end = os.pipe()
    with sender, receiver:
        socket.send_fds(sender, [struct.pack("!I", protocol.MAX_CONTROL_MESSAGE + 1)], [write_end])
        os.close(write_end)
        with pytest.raises(protocol.ProtocolError, match="over the limit"):
            protocol.receive_message(receiver)
    assert _other_write_ends_closed(read_end)
    os.close(read_end)


def test_a_message_cut_off_by_a_hang_up_is_refused_and_its_fds_closed():
    sender, receiver = _control_pair()
    read_end, write_end = os.pipe()
    with receiver:
        socket.send_fds(sender, [protocol.pack_frame(b'{"op": "spawn"}')[:8]], [write_end])
        os.close(write_end)
        sender.close()
        with pytest.raises(protocol.ProtocolError, match="closed in the middle"):
            protocol.receive_message(receiver)
    assert _other_write_ends_closed(read_end)
    os.close(read_end)


def test_more_fds_than_a_message_may_carry_are_refused_by_the_sender():
    sender, receiver = _control_pair()
    with sender, receiver, pytest.raises(protocol.ProtocolError, match="at most"):
        protocol.send_message(sender, {"op": "spawn"}, [0] * (protocol.MAX_CONTROL_FDS + 1))


def test_a_closed_control_channel_reads_as_none():
    sender, receiver = _control_pair()
    sender.close()
    with receiver:
        assert protocol.receive_message(receiver) == (None, [])
