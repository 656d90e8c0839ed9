# Telnyx docs example "Conversational (Barge-In)". Differences: the URL (TTS_SERVER_URL), Python's
# True where the docs print JSON's true, and the audio of both loops saved like the basic example.
import asyncio
import json
import base64
import os
import websockets

async def conversational_tts():
    url = os.environ["TTS_SERVER_URL"] + "?voice=Telnyx.NaturalHD.astra"
    headers = {"Authorization": "Bearer YOUR_API_KEY"}
    audio_chunks = []

    async with websockets.connect(url, extra_headers=headers) as ws:
        # Handshake with voice settings
        await ws.send(json.dumps({
            "text": " ",
            "voice_settings": {"voice_speed": 1.1}
        }))

        # Send first sentence
        await ws.send(json.dumps({"text": "Welcome to the demo."}))

        # Wait for first audio, then interrupt
        async for message in ws:
            data = json.loads(message)
            if data.get("audio"):
                audio_chunks.append(base64.b64decode(data["audio"]))
            if data.get("text"):
                print("spoken:", data["text"])
            if data.get("isFinal"):
                break

        # Interrupt and send new text
        await ws.send(json.dumps({"force": True}))
        await ws.send(json.dumps({"text": "Actually, let me start over."}))

        # Collect remaining audio...
        await ws.send(json.dumps({"text": ""}))
        async for message in ws:
            data = json.loads(message)
            if data.get("audio"):
                audio_chunks.append(base64.b64decode(data["audio"]))
            if data.get("text"):
                print("spoken:", data["text"])
            if data.get("isFinal"):
                break

    with open("output.mp3", "wb") as f:
        for chunk in audio_chunks:
            f.write(chunk)

asyncio.run(conversational_tts())
